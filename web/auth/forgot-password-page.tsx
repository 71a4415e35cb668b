// "Forgot password?": asks the server to e-mail a reset link. The answer is the same whether or not the
// email has an account; without mail on this Parley (503 mail_not_configured) it says whom to ask.
import { type FormEvent, useState } from 'react';
import { Link } from 'wouter';
import { apiPost } from '../api/request.ts';
import { useAction } from '../api/use-action.ts';
import { Alert } from '../ui/alert.tsx';
import { Button } from '../ui/button.tsx';
import { TextField } from '../ui/text-field.tsx';
import { AuthLayout } from './auth-layout.tsx';
import { emailError } from './credential-rules.ts';

export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [sent, setSent] = useState(false);
  const request = useAction((body: { email: string }) =>
    apiPost<unknown>('/api/auth/password-reset/request', body),
  );

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const found = emailError(email);
    setError(found);
    if (found) return;
    const result = await request.run({ email: email.trim() });
    if (result.ok) setSent(true);
  }

  return (
    <AuthLayout title="Reset your password">
      {sent ? (
        <Alert tone="success">
          If {email.trim()} has a Parley account, an e-mail with a reset link is on its way. The link works
          for one hour.
        </Alert>
      ) : (
        <form className="form" onSubmit={onSubmit} noValidate>
          <TextField
            label="Email"
            type="email"
            autoComplete="username"
            value={email}
            onChange={(event) => {
              setEmail(event.target.value);
              setError(undefined);
            }}
            error={error}
          />
          {request.error && <Alert>{request.error.message}</Alert>}
          <Button type="submit" variant="primary" busy={request.busy}>
            Send reset link
          </Button>
        </form>
      )}
      <p className="auth__switch">
        <Link href="/login">Back to log in</Link>
      </p>
    </AuthLayout>
  );
}
