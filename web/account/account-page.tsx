// /account: your display name, password, two-factor sign-in and where you are signed in.
import { type FormEvent, useState } from 'react';
import type { AccountSessionsResponse, SessionView } from '../api/contract.ts';
import { apiDelete, apiPatch, apiPost } from '../api/request.ts';
import { useAction } from '../api/use-action.ts';
import { useApi } from '../api/use-api.ts';
import { newPasswordError } from '../auth/credential-rules.ts';
import { useDocumentTitle } from '../frame/use-document-title.ts';
import { useSession, useSignedInSession } from '../session/session-context.tsx';
import { Alert } from '../ui/alert.tsx';
import { Button } from '../ui/button.tsx';
import { TextField } from '../ui/text-field.tsx';
import { NotificationsCard } from './notifications-card.tsx';
import { TwoFactorCard } from './two-factor-card.tsx';

export default function AccountPage() {
  useDocumentTitle('Account');
  return (
    <section className="page" aria-labelledby="account-title">
      <h1 id="account-title">Account</h1>
      <div className="tab-panel">
        <NameCard />
        <PasswordCard />
        <TwoFactorCard />
        <NotificationsCard />
        <SessionsCard />
      </div>
    </section>
  );
}

function NameCard() {
  const session = useSignedInSession();
  const { signIn } = useSession();
  const [name, setName] = useState(session.user.name ?? '');
  const [saved, setSaved] = useState(false);
  const save = useAction((body: { name: string }) => apiPatch<SessionView>('/api/auth/me', body));
  const [error, setError] = useState<string | undefined>();

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    if (name.trim() === '') return setError('Enter the name your teammates will see.');
    const result = await save.run({ name: name.trim() });
    if (result.ok) {
      signIn(result.value);
      setSaved(true);
    } else if (result.error) setError(result.error.message);
  }

  return (
    <section className="card" aria-labelledby="name-title">
      <h2 id="name-title">Display name</h2>
      <form className="form form--inline" onSubmit={onSubmit} noValidate>
        <TextField
          label="Name"
          autoComplete="name"
          maxLength={80}
          hint={`Teammates see it on your replies and notes. Your email: ${session.user.email}`}
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            setError(undefined);
          }}
          error={error}
        />
        {saved && <Alert tone="success">Saved.</Alert>}
        <Button type="submit" variant="primary" busy={save.busy}>
          Save name
        </Button>
      </form>
    </section>
  );
}

function PasswordCard() {
  const [values, setValues] = useState({ current_password: '', new_password: '' });
  const [errors, setErrors] = useState<Partial<Record<keyof typeof values, string>>>({});
  const [done, setDone] = useState(false);
  const change = useAction((body: typeof values) => apiPost<void>('/api/auth/password', body));

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setDone(false);
    const found = {
      current_password: values.current_password === '' ? 'Enter your current password.' : undefined,
      new_password: newPasswordError(values.new_password),
    };
    setErrors(found);
    if (found.current_password || found.new_password) return;
    const result = await change.run(values);
    if (result.ok) {
      setDone(true);
      setValues({ current_password: '', new_password: '' });
    } else if (result.error?.code === 'invalid_credentials') {
      setErrors({ current_password: 'That is not your current password.' });
    } else if (result.error?.code === 'weak_password' || result.error?.code === 'invalid_request') {
      setErrors({ new_password: result.error.message });
    }
  }

  const set = (field: keyof typeof values, value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined }));
  };
  const handled = ['invalid_credentials', 'weak_password', 'invalid_request'];
  return (
    <section className="card" aria-labelledby="password-title">
      <h2 id="password-title">Password</h2>
      <form className="form form--inline" onSubmit={onSubmit} noValidate>
        <TextField
          label="Current password"
          type="password"
          autoComplete="current-password"
          value={values.current_password}
          onChange={(e) => set('current_password', e.target.value)}
          error={errors.current_password}
        />
        <TextField
          label="New password"
          type="password"
          autoComplete="new-password"
          hint="At least 10 characters, not a common password. Your other sessions will be signed out."
          value={values.new_password}
          onChange={(e) => set('new_password', e.target.value)}
          error={errors.new_password}
        />
        {change.error && !handled.includes(change.error.code) && <Alert>{change.error.message}</Alert>}
        {done && <Alert tone="success">Password changed. Your other sessions were signed out.</Alert>}
        <Button type="submit" variant="primary" busy={change.busy}>
          Change password
        </Button>
      </form>
    </section>
  );
}

function SessionsCard() {
  const sessions = useApi<AccountSessionsResponse>('/api/auth/sessions');
  const signOut = useAction((id: string) => apiDelete(`/api/auth/sessions/${id}`));
  return (
    <section className="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Where you are signed in</h2>
      {sessions.status === 'error' && <Alert>{sessions.error.message}</Alert>}
      {sessions.status === 'ready' && (
        <ul className="member-list">
          {sessions.data.sessions.map((s) => (
            <li key={s.id} className="member">
              <div className="member__who">
                <span className="member__name">
                  {s.device}
                  {s.current && <span className="muted"> (this browser)</span>}
                </span>
                <span className="muted member__email">
                  {s.address ?? 'unknown address'} · last seen {new Date(s.last_seen_at).toLocaleString()}
                </span>
              </div>
              {!s.current && (
                <Button
                  variant="link"
                  onClick={async () => {
                    if ((await signOut.run(s.id)).ok) sessions.reload();
                  }}
                >
                  Sign out
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {signOut.error && <Alert>{signOut.error.message}</Alert>}
    </section>
  );
}
