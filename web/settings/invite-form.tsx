// Owners and admins invite a teammate by their email and a role. The link is shown to copy (and, with
// mail set up on the server, also e-mailed); it works once, for 7 days.
import { type FormEvent, useId, useState } from 'react';
import type { InvitationCreatedResponse } from '../api/contract.ts';
import { apiPost } from '../api/request.ts';
import { useAction } from '../api/use-action.ts';
import { emailError } from '../auth/credential-rules.ts';
import { Alert } from '../ui/alert.tsx';
import { Button } from '../ui/button.tsx';
import { TextField } from '../ui/text-field.tsx';
import { CopyableLink } from './copyable-link.tsx';

type InvitedRole = 'admin' | 'agent';

export function InviteForm({ onInvited }: { onInvited: () => void }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<InvitedRole>('agent');
  const [error, setError] = useState<string | undefined>();
  const [link, setLink] = useState<{ email: string; url: string } | null>(null);
  const roleId = useId();
  const invite = useAction((body: { email: string; role: InvitedRole }) =>
    apiPost<InvitationCreatedResponse>('/api/organization/invitations', body),
  );

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setLink(null);
    invite.clearError();
    const found = email.trim() === '' ? 'Enter your teammate’s email address.' : emailError(email);
    setError(found);
    if (found) return;
    const result = await invite.run({ email: email.trim(), role });
    if (!result.ok) {
      if (result.error?.status === 409) setError(result.error.message);
      return;
    }
    setLink({ email: result.value.invitation.email, url: result.value.invitation.url });
    setEmail('');
    onInvited();
  }

  return (
    <section className="card" aria-labelledby="invite-title">
      <h2 id="invite-title">Invite a teammate</h2>
      <form className="form form--inline" onSubmit={onSubmit} noValidate>
        <TextField
          label="Teammate’s email"
          type="email"
          autoComplete="off"
          value={email}
          onChange={(event) => {
            setEmail(event.target.value);
            setError(undefined);
          }}
          error={error}
        />
        <div className="field">
          <label htmlFor={roleId}>Role</label>
          <select
            id={roleId}
            aria-describedby={`${roleId}-hint`}
            value={role}
            onChange={(e) => setRole(e.target.value === 'admin' ? 'admin' : 'agent')}
          >
            <option value="agent">Agent</option>
            <option value="admin">Admin</option>
          </select>
          <p id={`${roleId}-hint`} className="field__hint">
            {role === 'agent' ? 'Reads and answers conversations.' : 'Also manages members and integrations.'}
          </p>
        </div>
        {invite.error && invite.error.status !== 409 && <Alert>{invite.error.message}</Alert>}
        {link && (
          <Alert tone="success" title={`Invitation for ${link.email} created.`}>
            <p>Send them this link; it works once, for 7 days.</p>
            <CopyableLink label="Invitation link" url={link.url} />
          </Alert>
        )}
        <Button type="submit" variant="primary" busy={invite.busy}>
          Create invitation
        </Button>
      </form>
    </section>
  );
}
