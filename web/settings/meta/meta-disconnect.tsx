// Disconnect, behind a confirmation. The confirmation replaces the trigger rather than opening over it,
// so exactly one "Disconnect" button exists at a time (a second click confirms), and it needs no modal
// machinery: focus moves to Cancel (the safe choice), Escape cancels, and focus returns to the trigger.
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import type { DisconnectResponse } from '../../api/contract.ts';
import { apiPost } from '../../api/request.ts';
import { useAction } from '../../api/use-action.ts';
import { Button } from '../../ui/button.tsx';

export function MetaDisconnect({
  pageName,
  onDisconnected,
}: {
  pageName: string;
  onDisconnected: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const returnFocus = useRef(false);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  const disconnect = useAction(() => apiPost<DisconnectResponse>('/api/integrations/meta/disconnect'));

  useEffect(() => {
    if (confirming) cancelRef.current?.focus();
    else if (returnFocus.current) triggerRef.current?.focus();
  }, [confirming]);

  function cancel() {
    if (disconnect.busy) return;
    returnFocus.current = true;
    disconnect.clearError();
    setConfirming(false);
  }

  async function confirm() {
    const result = await disconnect.run();
    if (result.ok) onDisconnected();
  }

  if (!confirming) {
    return (
      <Button ref={triggerRef} variant="danger" onClick={() => setConfirming(true)}>
        Disconnect
      </Button>
    );
  }

  return (
    <div
      className="confirm"
      role="alertdialog"
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      onKeyDown={(event: KeyboardEvent) => {
        if (event.key === 'Escape') cancel();
      }}
    >
      <p id={titleId} className="confirm__title">
        Disconnect {pageName}?
      </p>
      <p id={descriptionId}>
        Parley stops receiving and sending Messenger and Instagram messages for this Page. Conversation
        history stays in the inbox and comes back if you connect the Page again.
      </p>
      {disconnect.error && (
        <p role="alert" className="inline-error">
          {disconnect.error.message}
        </p>
      )}
      <div className="actions">
        <Button ref={cancelRef} onClick={cancel} disabled={disconnect.busy}>
          Cancel
        </Button>
        <Button variant="danger" busy={disconnect.busy} onClick={confirm}>
          Disconnect
        </Button>
      </div>
    </div>
  );
}
