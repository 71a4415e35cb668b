import type { InvitationsResponse, InvitationView } from '../api/contract.ts';
import { apiDelete } from '../api/request.ts';
import { useAction } from '../api/use-action.ts';
import type { ApiResource } from '../api/use-api.ts';
import { roleLabels } from '../session/roles.ts';
import { Alert } from '../ui/alert.tsx';
import { Button } from '../ui/button.tsx';

/** Invitations nobody has accepted yet, each revocable (its link then stops working). */
export function PendingInvitations({ invitations }: { invitations: ApiResource<InvitationsResponse> }) {
  if (invitations.status !== 'ready' || invitations.data.invitations.length === 0) return null;
  return (
    <section className="card" aria-labelledby="pending-title">
      <h2 id="pending-title">Pending invitations</h2>
      <ul className="member-list">
        {invitations.data.invitations.map((invitation) => (
          <PendingRow key={invitation.id} invitation={invitation} onRevoked={invitations.reload} />
        ))}
      </ul>
    </section>
  );
}

function PendingRow({ invitation, onRevoked }: { invitation: InvitationView; onRevoked: () => void }) {
  const revoke = useAction(() => apiDelete(`/api/organization/invitations/${invitation.id}`));
  return (
    <li className="member">
      <div className="member__who">
        <span className="member__name">{invitation.email}</span>
        <span className="muted member__email">
          {roleLabels[invitation.role]} · expires {new Date(invitation.expires_at).toLocaleDateString()}
        </span>
      </div>
      <div className="member__actions">
        <Button
          variant="link"
          busy={revoke.busy}
          onClick={async () => {
            const result = await revoke.run();
            if (result.ok) onRevoked();
          }}
        >
          Revoke
        </Button>
      </div>
      {revoke.error && <Alert>{revoke.error.message}</Alert>}
    </li>
  );
}
