// The thread header's assignee menu: the organization's members (GET /api/organization/members) and
// "Unassigned". A native select: keyboard, screen readers and phones already know how to work it. The
// conversation's current assignee stays listed even if the members list has not loaded (or they left).
import { useId, useState } from 'react';
import { ApiError } from '../api/api-error.ts';
import type { ConversationView, MembersResponse } from '../api/contract.ts';
import { useApi } from '../api/use-api.ts';

export function AssigneeMenu({
  assignee,
  onAssign,
}: {
  assignee: ConversationView['assignee'];
  onAssign: (assigneeId: string | null) => Promise<void>;
}) {
  const id = useId();
  const members = useApi<MembersResponse>('/api/organization/members');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const options = members.status === 'ready' ? members.data.members : [];
  const listed = options.some((m) => m.user_id === assignee?.id);

  const change = async (value: string) => {
    setBusy(true);
    setError(null);
    try {
      await onAssign(value === '' ? null : value);
    } catch (thrown) {
      setError(ApiError.from(thrown).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <span className="assignee-menu">
      <label htmlFor={id} className="visually-hidden">
        Assignee
      </label>
      <select
        id={id}
        className="assignee-menu__select"
        value={assignee?.id ?? ''}
        disabled={busy}
        onChange={(event) => void change(event.target.value)}
      >
        <option value="">Unassigned</option>
        {assignee && !listed && <option value={assignee.id}>{assignee.name}</option>}
        {options.map((m) => (
          <option key={m.user_id} value={m.user_id}>
            {m.name?.trim() ? m.name : m.email}
          </option>
        ))}
      </select>
      {error && (
        <span className="inline-error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
