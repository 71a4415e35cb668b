import type { ConnectionResponse, ConnectionView } from '../../api/contract.ts';
import { apiPost } from '../../api/request.ts';
import { useAction } from '../../api/use-action.ts';
import { Button } from '../../ui/button.tsx';

/** Re-runs the webhook subscriptions now instead of waiting for the server's background retry. */
export function MetaRetryButton({ onUpdated }: { onUpdated: (connection: ConnectionView) => void }) {
  const retry = useAction(() => apiPost<ConnectionResponse>('/api/integrations/meta/retry-subscriptions'));

  async function onClick() {
    const result = await retry.run();
    if (result.ok) onUpdated(result.value.connection);
  }

  return (
    <>
      <Button variant="primary" busy={retry.busy} onClick={onClick}>
        Retry subscriptions
      </Button>
      {retry.error && (
        <p role="alert" className="inline-error">
          {retry.error.message}
        </p>
      )}
    </>
  );
}
