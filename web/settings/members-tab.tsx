import type { MembersResponse } from '../api/contract.ts';
import { useApi } from '../api/use-api.ts';
import { canManageOrganization, roleLabels } from '../session/roles.ts';
import { useSignedInSession } from '../session/session-context.tsx';
import { Alert } from '../ui/alert.tsx';
import { Button } from '../ui/button.tsx';
import { Skeleton } from '../ui/skeleton.tsx';
import { AddMemberForm } from './add-member-form.tsx';

export function MembersTab() {
  const { user, role } = useSignedInSession();
  const members = useApi<MembersResponse>('/api/organization/members');

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
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
              </tr>
            </thead>
            <tbody>
              {members.data.members.map((member) => (
                <tr key={member.user_id}>
                  <td>
                    {member.email}
                    {member.user_id === user.id && <span className="muted"> (you)</span>}
                  </td>
                  <td>{roleLabels[member.role]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {canManageOrganization(role) ? (
        <AddMemberForm onAdded={members.reload} />
      ) : (
        <p className="muted">Only owners and admins can add members.</p>
      )}
    </div>
  );
}
