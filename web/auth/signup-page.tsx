import { type FormEvent, useRef, useState } from 'react';
import { Link, Redirect, useSearch } from 'wouter';
import type { SessionView, SignupRequest } from '../api/contract.ts';
import { apiPost } from '../api/request.ts';
import { useAction } from '../api/use-action.ts';
import { safeReturnPath } from '../session/return-path.ts';
import { useSession } from '../session/session-context.tsx';
import { Alert } from '../ui/alert.tsx';
import { Button } from '../ui/button.tsx';
import { TextField } from '../ui/text-field.tsx';
import { AuthLayout } from './auth-layout.tsx';
import { emailError, newPasswordError, PASSWORD_MIN_LENGTH } from './credential-rules.ts';
import { type FieldErrors, focusFirstError } from './field-errors.ts';

type Field = keyof SignupRequest;

function validate(values: SignupRequest): FieldErrors<Field> {
  return {
    email: emailError(values.email),
    password: newPasswordError(values.password),
    organization_name: values.organization_name.trim() === '' ? 'Enter your organization’s name.' : undefined,
  };
}

export function SignupPage() {
  const { session, signIn } = useSession();
  const next = new URLSearchParams(useSearch()).get('next');
  const [values, setValues] = useState<SignupRequest>({ email: '', password: '', organization_name: '' });
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const refs = {
    email: useRef<HTMLInputElement>(null),
    password: useRef<HTMLInputElement>(null),
    organization_name: useRef<HTMLInputElement>(null),
  };
  const signup = useAction((body: SignupRequest) => apiPost<SessionView>('/api/auth/signup', body));

  if (session) return <Redirect to={safeReturnPath(next)} replace />;

  function update(field: Field, value: string) {
    setValues((current) => ({ ...current, [field]: value }));
    setErrors((current) => ({ ...current, [field]: undefined }));
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const found = validate(values);
    setErrors(found);
    if (focusFirstError(found, refs)) return;
    const result = await signup.run({
      email: values.email.trim(),
      password: values.password,
      organization_name: values.organization_name.trim(),
    });
    if (result.ok) signIn(result.value);
  }

  const loginHref = next ? `/login?next=${encodeURIComponent(next)}` : '/login';
  return (
    <AuthLayout title="Create your organization">
      <form className="form" onSubmit={onSubmit} noValidate>
        <TextField
          ref={refs.email}
          label="Email"
          type="email"
          autoComplete="email"
          required
          value={values.email}
          onChange={(event) => update('email', event.target.value)}
          error={errors.email}
        />
        <TextField
          ref={refs.password}
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN_LENGTH}
          hint={`At least ${PASSWORD_MIN_LENGTH} characters.`}
          value={values.password}
          onChange={(event) => update('password', event.target.value)}
          error={errors.password}
        />
        <TextField
          ref={refs.organization_name}
          label="Organization name"
          autoComplete="organization"
          required
          value={values.organization_name}
          onChange={(event) => update('organization_name', event.target.value)}
          error={errors.organization_name}
        />
        {signup.error && (
          <Alert>
            {signup.error.status === 409 ? (
              <>
                An account with this email already exists. <Link href={loginHref}>Log in instead</Link>.
              </>
            ) : (
              signup.error.message
            )}
          </Alert>
        )}
        <Button type="submit" variant="primary" busy={signup.busy}>
          Create organization
        </Button>
      </form>
      <p className="auth__switch">
        Already have an account? <Link href={loginHref}>Log in</Link>
      </p>
    </AuthLayout>
  );
}
