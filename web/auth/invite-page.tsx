// /invite/:token: the invitee sees the organization and role, chooses a display name and password, and
// lands in the inbox signed in. An unknown, used, revoked or expired link says so and whom to ask.
import { type FormEvent, useState } from 'react';
import { Redirect } from 'wouter';
import type { InvitationPreview, SessionView } from '../api/contract.ts';
import { apiPost } from '../api/request.ts';
import { useAction } from '../api/use-action.ts';
import { useApi } from '../api/use-api.ts';
import { HOME_PATH } from '../session/return-path.ts';
import { roleLabels } from '../session/roles.ts';
import { useSession } from '../session/session-context.tsx';
import { Alert } from '../ui/alert.tsx';
import { Button } from '../ui/button.tsx';
import { Skeleton } from '../ui/skeleton.tsx';
import { TextField } from '../ui/text-field.tsx';
import { AuthLayout } from './auth-layout.tsx';
import { newPasswordError, PASSWORD_MIN_LENGTH } from './credential-rules.ts';

type Field = 'name' | 'password';

export function InvitePage({ token }: { token: string }) {
  const { signIn } = useSession();
  const invitation = useApi<InvitationPreview>(`/api/invitations/${encodeURIComponent(token)}`);
  const [values, setValues] = useState({ name: '', password: '' });
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [joined, setJoined] = useState(false);
  const accept = useAction((body: { name: string; password: string }) =>
    apiPost<SessionView>(`/api/invitations/${encodeURIComponent(token)}/accept`, body),
  );

  if (joined) return <Redirect to={HOME_PATH} replace />;
  if (invitation.status === 'loading')
    return (
      <AuthLayout title="Join Parley">
        <Skeleton label="Loading invitation…" />
      </AuthLayout>
    );
  if (invitation.status === 'error') {
    return (
      <AuthLayout title="Join Parley">
        <Alert>{invitation.error.message}</Alert>
      </AuthLayout>
    );
  }
  const { organization, email, role } = invitation.data;

  function update(field: Field, value: string) {
    setValues((current) => ({ ...current, [field]: value }));
    setErrors((current) => ({ ...current, [field]: undefined }));
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const found = {
      name: values.name.trim() === '' ? 'Enter the name your teammates will see.' : undefined,
      password: newPasswordError(values.password),
    };
    setErrors(found);
    if (found.name || found.password) return;
    const result = await accept.run({ name: values.name.trim(), password: values.password });
    if (result.ok) {
      signIn(result.value);
      setJoined(true);
    } else if (result.error?.code === 'weak_password') setErrors({ password: result.error.message });
  }

  return (
    <AuthLayout title={`Join ${organization.name}`}>
      <p className="muted">
        You were invited as <strong>{roleLabels[role].toLowerCase()}</strong> with {email}.
      </p>
      <form className="form" onSubmit={onSubmit} noValidate>
        <TextField
          label="Your name"
          autoComplete="name"
          hint="Shown to your teammates on replies and notes."
          value={values.name}
          onChange={(event) => update('name', event.target.value)}
          error={errors.name}
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          hint={`At least ${PASSWORD_MIN_LENGTH} characters, not a common password.`}
          value={values.password}
          onChange={(event) => update('password', event.target.value)}
          error={errors.password}
        />
        {accept.error && accept.error.code !== 'weak_password' && <Alert>{accept.error.message}</Alert>}
        <Button type="submit" variant="primary" busy={accept.busy}>
          Join {organization.name}
        </Button>
      </form>
    </AuthLayout>
  );
}
