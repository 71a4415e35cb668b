// Resolve / Reopen in the thread header, and its shortcut: E (outside text fields, no modifier), the key
// that archives in the mail and inbox tools agents already use. A failure is said next to the button.
import { useCallback, useEffect, useEffectEvent, useState } from 'react';
import { ApiError } from '../api/api-error.ts';
import type { ConversationStatus } from '../api/contract.ts';
import { Button } from '../ui/button.tsx';

function typingInto(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function StatusButton({
  status,
  onSetStatus,
}: {
  status: ConversationStatus;
  onSetStatus: (status: ConversationStatus) => Promise<void>;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [said, setSaid] = useState('');
  const next: ConversationStatus = status === 'open' ? 'resolved' : 'open';

  const toggle = useCallback(async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await onSetStatus(next);
      setSaid(next === 'resolved' ? 'Conversation resolved.' : 'Conversation reopened.');
    } catch (thrown) {
      setError(ApiError.from(thrown).message);
    } finally {
      setBusy(false);
    }
  }, [busy, next, onSetStatus]);

  // An effect event, not a listener re-added after each render: effects run after the paint, so a key
  // pressed as soon as the label changed reached the previous render's handler, which still saw the
  // request in flight and dropped the press (a browser test caught it on a loaded machine).
  const onKeyDown = useEffectEvent((event: KeyboardEvent) => {
    if (event.key !== 'e' && event.key !== 'E') return;
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
    if (typingInto(event.target)) return;
    event.preventDefault();
    void toggle();
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKeyDown(event);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);

  return (
    <span className="thread__status">
      <Button
        onClick={() => void toggle()}
        busy={busy}
        variant={status === 'open' ? 'primary' : undefined}
        aria-keyshortcuts="E"
        title={status === 'open' ? 'Resolve (E)' : 'Reopen (E)'}
      >
        {status === 'open' ? 'Resolve' : 'Reopen'}
      </Button>
      <span className="visually-hidden" role="status">
        {said}
      </span>
      {error && (
        <span className="inline-error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
