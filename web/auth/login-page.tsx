import { type FormEvent, useRef, useState } from 'react';
import { Link, Redirect, useSearch } from 'wouter';
import type { LoginRequest, LoginResponse, SessionView } from '../api/contract.ts';
import { apiPost } from '../api/request.ts';
import { useAction } from '../api/use-action.ts';
import { safeReturnPath } from '../session/return-path.ts';
import { useSession } from '../session/session-context.tsx';
import { Alert } from '../ui/alert.tsx';
import { Button } from '../ui/button.tsx';
import { TextField } from '../ui/text-field.tsx';
import { AuthLayout } from './auth-layout.tsx';
import { emailError } from './credential-rules.ts';
import { type FieldErrors, focusFirstError } from './field-errors.ts';

type Field = keyof LoginRequest;

function validate(values: LoginRequest): FieldErrors<Field> {
  return {
    email: emailError(values.email),
    password: values.password === '' ? 'Enter your password.' : undefined,
  };
}

export function LoginPage() {
  const { session, signIn } = useSession();
  const next = new URLSearchParams(useSearch()).get('next');
  const [values, setValues] = useState<LoginRequest>({ email: '', password: '' });
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const refs = { email: useRef<HTMLInputElement>(null), password: useRef<HTMLInputElement>(null) };
  const login = useAction((body: LoginRequest) => apiPost<LoginResponse>('/api/auth/login', body));
  // Two-factor on: the password was right and the server waits for a code (CONTRACT §3, issue 14).
  const [challenge, setChallenge] = useState<string | null>(null);

  if (session) return <Redirect to={safeReturnPath(next)} replace />;
  if (challenge) return <TwoFactorStep challenge={challenge} onRestart={() => setChallenge(null)} />;

  function update(field: Field, value: string) {
    setValues((current) => ({ ...current, [field]: value }));
    setErrors((current) => ({ ...current, [field]: undefined }));
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const found = validate(values);
    setErrors(found);
    if (focusFirstError(found, refs)) return;
    const result = await login.run({ email: values.email.trim(), password: values.password });
    if (!result.ok) return;
    if ('two_factor_required' in result.value) setChallenge(result.value.challenge);
    else signIn(result.value);
  }

  return (
    <AuthLayout title="Log in to Parley">
      <form className="form" onSubmit={onSubmit} noValidate>
        <TextField
          ref={refs.email}
          label="Email"
          type="email"
          autoComplete="username"
          required
          value={values.email}
          onChange={(event) => update('email', event.target.value)}
          error={errors.email}
        />
        <TextField
          ref={refs.password}
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={values.password}
          onChange={(event) => update('password', event.target.value)}
          error={errors.password}
        />
        {login.error && (
          <Alert>
            {login.error.status === 401
              ? 'That email and password don’t match an account.'
              : login.error.message}
          </Alert>
        )}
        <Button type="submit" variant="primary" busy={login.busy}>
          Log in
        </Button>
      </form>
      <p className="auth__switch">
        <Link href="/forgot-password">Forgot password?</Link>
      </p>
      <p className="auth__switch">
        New to Parley?{' '}
        <Link href={next ? `/signup?next=${encodeURIComponent(next)}` : '/signup'}>
          Create an organization
        </Link>
      </p>
    </AuthLayout>
  );
}

function TwoFactorStep({ challenge, onRestart }: { challenge: string; onRestart: () => void }) {
  const { signIn } = useSession();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | undefined>();
  const verify = useAction((body: { challenge: string; code: string }) =>
    apiPost<SessionView>('/api/auth/login/two-factor', body),
  );

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (code.trim() === '') return setError('Enter the 6-digit code from your authenticator app.');
    const result = await verify.run({ challenge, code: code.trim() });
    if (result.ok) signIn(result.value);
    else if (result.error?.code === 'invalid_code') setError(result.error.message);
  }

  const expired = verify.error?.code === 'challenge_expired';
  return (
    <AuthLayout title="Two-factor sign-in">
      <form className="form" onSubmit={onSubmit} noValidate>
        <TextField
          label="Authentication code"
          inputMode="numeric"
          autoComplete="one-time-code"
          hint="The 6-digit code from your authenticator app, or one of your recovery codes."
          autoFocus
          value={code}
          onChange={(event) => {
            setCode(event.target.value);
            setError(undefined);
          }}
          error={error}
        />
        {verify.error && verify.error.code !== 'invalid_code' && <Alert>{verify.error.message}</Alert>}
        {expired ? (
          <Button variant="primary" onClick={onRestart}>
            Start again
          </Button>
        ) : (
          <Button type="submit" variant="primary" busy={verify.busy}>
            Verify
          </Button>
        )}
      </form>
    </AuthLayout>
  );
}
