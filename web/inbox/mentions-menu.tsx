// "@ 2": my unread @mentions, shown beside the inbox title while there are any. Opening it lists them
// (GET /api/mentions, newest first); each opens its conversation at the note, which reads the mentions
// of that conversation (unread.tsx). Escape or a click elsewhere closes the list.
import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'wouter';
import type { MentionsResponse } from '../api/contract.ts';
import { useApi } from '../api/use-api.ts';
import { useUnread } from '../frame/unread.tsx';
import { formatDateTime } from '../ui/date-format.ts';
import './notes.css';

export function MentionsMenu() {
  const count = useUnread()?.summary?.mentions ?? 0;
  const [open, setOpen] = useState(false);
  const id = useId();
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (event: Event) => {
      if (
        event instanceof KeyboardEvent
          ? event.key === 'Escape'
          : !root.current?.contains(event.target as Node)
      )
        setOpen(false);
    };
    document.addEventListener('keydown', close);
    document.addEventListener('mousedown', close);
    return () => {
      document.removeEventListener('keydown', close);
      document.removeEventListener('mousedown', close);
    };
  }, [open]);

  if (count === 0 && !open) return null;
  const label = `${count} unread mention${count === 1 ? '' : 's'}`;
  return (
    <div className="mentions" ref={root}>
      <button
        type="button"
        className="mentions__button"
        aria-expanded={open}
        aria-controls={id}
        aria-label={label}
        title={label}
        onClick={() => setOpen((o) => !o)}
      >
        <span aria-hidden="true">@</span> <span aria-hidden="true">{count}</span>
      </button>
      {open && <MentionsList id={id} onChoose={() => setOpen(false)} />}
    </div>
  );
}

function MentionsList({ id, onChoose }: { id: string; onChoose: () => void }) {
  const mentions = useApi<MentionsResponse>('/api/mentions');
  return (
    <div id={id} className="mentions__panel">
      <h2 className="mentions__title">Mentions</h2>
      {mentions.status === 'loading' && <p className="muted">Loading…</p>}
      {mentions.status === 'error' && <p className="inline-error">{mentions.error.message}</p>}
      {mentions.status === 'ready' &&
        (mentions.data.mentions.length === 0 ? (
          <p className="muted">No unread mentions.</p>
        ) : (
          <ul className="mentions__list">
            {mentions.data.mentions.map((m) => (
              <li key={m.message_id}>
                <Link
                  href={`/inbox/${encodeURIComponent(m.conversation_id)}?message=${encodeURIComponent(m.message_id)}`}
                  className="mentions__link"
                  onClick={onChoose}
                >
                  <span className="mentions__by">{m.by.name}</span>{' '}
                  <time dateTime={m.created_at} className="muted">
                    {formatDateTime(m.created_at)}
                  </time>
                  <span className="mentions__snippet">{m.snippet}</span>
                </Link>
              </li>
            ))}
          </ul>
        ))}
    </div>
  );
}
