// /reset-password/:token, from an e-mail or a link an admin passed on: choose a new password. Every
// session of the account ends; the person then logs in with the new password.
import { type FormEvent, useState } from 'react';
import { Link } from 'wouter';
import { apiPost } from '../api/request.ts';
import { useAction } from '../api/use-action.ts';
import { Alert } from '../ui/alert.tsx';
import { Button } from '../ui/button.tsx';
import { TextField } from '../ui/text-field.tsx';
import { AuthLayout } from './auth-layout.tsx';
import { newPasswordError, PASSWORD_MIN_LENGTH } from './credential-rules.ts';

export function ResetPasswordPage({ token }: { token: string }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [done, setDone] = useState(false);
  const reset = useAction((body: { token: string; new_password: string }) =>
    apiPost<void>('/api/auth/password-reset', body),
  );

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const found = newPasswordError(password);
    setError(found);
    if (found) return;
    const result = await reset.run({ token, new_password: password });
    if (result.ok) setDone(true);
    else if (result.error?.code === 'weak_password') setError(result.error.message);
  }

  return (
    <AuthLayout title="Choose a new password">
      {done ? (
        <Alert tone="success">Your password was changed. Log in with it now.</Alert>
      ) : (
        <form className="form" onSubmit={onSubmit} noValidate>
          <TextField
            label="New password"
            type="password"
            autoComplete="new-password"
            hint={`At least ${PASSWORD_MIN_LENGTH} characters, not a common password.`}
            value={password}
            onChange={(event) => {
              setPassword(event.target.value);
              setError(undefined);
            }}
            error={error}
          />
          {reset.error && reset.error.code !== 'weak_password' && <Alert>{reset.error.message}</Alert>}
          <Button type="submit" variant="primary" busy={reset.busy}>
            Change password
          </Button>
        </form>
      )}
      <p className="auth__switch">
        <Link href="/login">Back to log in</Link>
      </p>
    </AuthLayout>
  );
}
