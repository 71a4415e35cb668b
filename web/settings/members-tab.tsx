// Settings → Members: the team with names and roles; owners and admins change roles, remove members,
// issue password-reset links, invite teammates and revoke pending invitations. The server enforces the
// rules (last owner, admins and owners); the buttons only hide what the viewer can never do.
import { useState } from 'react';
import type {
  InvitationsResponse,
  MembersResponse,
  MemberView,
  ResetLinkResponse,
  Role,
} from '../api/contract.ts';
import { apiDelete, apiPatch, apiPost } from '../api/request.ts';
import { useAction } from '../api/use-action.ts';
import { useApi } from '../api/use-api.ts';
import { canManageOrganization, roleLabels } from '../session/roles.ts';
import { useSignedInSession } from '../session/session-context.tsx';
import { Alert } from '../ui/alert.tsx';
import { Button } from '../ui/button.tsx';
import { Skeleton } from '../ui/skeleton.tsx';
import { CopyableLink } from './copyable-link.tsx';
import { InviteForm } from './invite-form.tsx';
import { PendingInvitations } from './pending-invitations.tsx';

export function MembersTab() {
  const { role } = useSignedInSession();
  const members = useApi<MembersResponse>('/api/organization/members');
  const manager = canManageOrganization(role);

  return (
    <div className="tab-panel">
      <section className="card" aria-labelledby="members-title">
        <h2 id="members-title">Members</h2>
        {members.status === 'loading' && <Skeleton label="Loading members…" />}
        {members.status === 'error' && (
          <Alert title="The member list could not be loaded.">
            <p>{members.error.message}</p>
            <Button onClick={members.reload}>Try again</Button>
          </Alert>
        )}
        {members.status === 'ready' && (
          <ul className="member-list">
            {members.data.members.map((member) => (
              <MemberRow key={member.user_id} member={member} onChanged={members.reload} />
            ))}
          </ul>
        )}
      </section>
      {manager ? (
        <Invitations onInvitedReload={members.reload} />
      ) : (
        <p className="muted">Only owners and admins can invite and manage members.</p>
      )}
    </div>
  );
}

function Invitations({ onInvitedReload }: { onInvitedReload: () => void }) {
  const invitations = useApi<InvitationsResponse>('/api/organization/invitations');
  return (
    <>
      <InviteForm
        onInvited={() => {
          invitations.reload();
          onInvitedReload();
        }}
      />
      <PendingInvitations invitations={invitations} />
    </>
  );
}

function MemberRow({ member, onChanged }: { member: MemberView; onChanged: () => void }) {
  const { user, role: viewerRole } = useSignedInSession();
  const [resetLink, setResetLink] = useState<ResetLinkResponse | null>(null);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const changeRole = useAction((role: Role) =>
    apiPatch<unknown>(`/api/organization/members/${member.user_id}`, { role }),
  );
  const remove = useAction(() => apiDelete(`/api/organization/members/${member.user_id}`));
  const reset = useAction(() =>
    apiPost<ResetLinkResponse>(`/api/organization/members/${member.user_id}/password-reset`),
  );
  const isSelf = member.user_id === user.id;
  const canManage = canManageOrganization(viewerRole) && (viewerRole === 'owner' || member.role !== 'owner');
  const roles: Role[] = viewerRole === 'owner' ? ['owner', 'admin', 'agent'] : ['admin', 'agent'];
  const error = changeRole.error ?? remove.error ?? reset.error;
  const label = member.name ?? member.email;

  return (
    <li className="member">
      <div className="member__who">
        <span className="member__name">
          {label}
          {isSelf && <span className="muted"> (you)</span>}
        </span>
        {member.name && <span className="muted member__email">{member.email}</span>}
      </div>
      {canManage ? (
        <div className="member__actions">
          <select
            aria-label={`Role of ${label}`}
            value={member.role}
            disabled={changeRole.busy}
            onChange={async (event) => {
              const result = await changeRole.run(event.target.value as Role);
              if (result.ok) onChanged();
            }}
          >
            {roles.map((r) => (
              <option key={r} value={r}>
                {roleLabels[r]}
              </option>
            ))}
          </select>
          {!isSelf && (
            <Button
              variant="link"
              busy={reset.busy}
              onClick={async () => {
                const result = await reset.run();
                if (result.ok) setResetLink(result.value);
              }}
            >
              Password reset link
            </Button>
          )}
          {isSelf ? null : confirmRemove ? (
            <span className="member__confirm">
              <Button
                variant="danger"
                busy={remove.busy}
                onClick={async () => {
                  const result = await remove.run();
                  if (result.ok) onChanged();
                }}
              >
                Yes, remove {label}
              </Button>
              <Button variant="link" onClick={() => setConfirmRemove(false)}>
                Cancel
              </Button>
            </span>
          ) : (
            <Button variant="link" onClick={() => setConfirmRemove(true)}>
              Remove
            </Button>
          )}
        </div>
      ) : (
        <span className="badge badge--neutral">{roleLabels[member.role]}</span>
      )}
      {error && (
        <p className="inline-error member__error" role="alert">
          {error.message}
        </p>
      )}
      {confirmRemove && (
        <p className="muted member__link">
          They are signed out at once and lose access to the organization; their replies keep their name.
        </p>
      )}
      {resetLink && (
        <div className="member__link">
          <p className="muted">
            {resetLink.emailed ? 'E-mailed to them. ' : ''}A one-hour, single-use link to choose a new
            password:
          </p>
          <CopyableLink label={`Reset link for ${label}`} url={resetLink.url} />
        </div>
      )}
    </li>
  );
}
