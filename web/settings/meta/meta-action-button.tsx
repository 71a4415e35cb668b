import type { ConnectionResponse, ConnectionView } from '../../api/contract.ts';
import { apiPost } from '../../api/request.ts';
import { useAction } from '../../api/use-action.ts';
import { Button } from '../../ui/button.tsx';

/** The card's POSTs that answer with the updated `{connection}`: busy while running, the error inline. */
export const metaActions = {
  'Retry subscriptions': '/api/integrations/meta/retry-subscriptions',
  'Check now': '/api/integrations/meta/health-check',
  'Refresh Instagram link': '/api/integrations/meta/refresh-instagram',
} as const;

export type MetaActionLabel = keyof typeof metaActions;

export function MetaActionButton({
  label,
  variant = 'secondary',
  onDone,
}: {
  label: MetaActionLabel;
  variant?: 'primary' | 'secondary';
  onDone: (connection: ConnectionView) => void;
}) {
  const action = useAction(() => apiPost<ConnectionResponse>(metaActions[label]));

  async function onClick() {
    const result = await action.run();
    if (result.ok) onDone(result.value.connection);
  }

  return (
    <>
      <Button variant={variant} busy={action.busy} onClick={onClick}>
        {label}
      </Button>
      {action.error && (
        <p role="alert" className="inline-error">
          {action.error.message}
        </p>
      )}
    </>
  );
}
