// The composer's two modes, Reply (to the customer) and Note (for the team), as tabs: ←/→ move between
// them (WAI-ARIA tabs), and each mode keeps its own draft while the other is shown (both stay mounted),
// so switching never loses text; each draft also outlives the conversation being closed (drafts.ts).
// The panels go unnamed: the box in each is named already ("Reply", "Internal note"), and a second
// element named "Reply" would only make either harder to find.
import { type KeyboardEvent, useId, useRef, useState } from 'react';
import type { ConnectionStatusResponse, ConversationView } from '../api/contract.ts';
import type { Resource } from '../api/use-api.ts';
import { Composer } from './composer.tsx';
import { NoteComposer } from './note-composer.tsx';
import type { SendResult } from './use-inbox.ts';

type Mode = 'reply' | 'note';
const MODES: Array<{ mode: Mode; label: string }> = [
  { mode: 'reply', label: 'Reply' },
  { mode: 'note', label: 'Note' },
];

export function ComposerTabs({
  conversationId,
  conversation,
  connection,
  onSend,
  onAddNote,
}: {
  conversationId: string;
  conversation: ConversationView | undefined;
  connection: Resource<ConnectionStatusResponse>;
  onSend: (text: string) => Promise<SendResult>;
  onAddNote: (text: string) => Promise<SendResult>;
}) {
  const id = useId();
  const [mode, setMode] = useState<Mode>('reply');
  const tabs = useRef<Record<Mode, HTMLButtonElement | null>>({ reply: null, note: null });
  const noteInput = useRef<HTMLTextAreaElement>(null);

  const select = (next: Mode, focusTab: boolean) => {
    setMode(next);
    if (focusTab) tabs.current[next]?.focus();
  };

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const keys: Record<string, Mode> = {
      ArrowLeft: 'reply',
      ArrowRight: 'note',
      Home: 'reply',
      End: 'note',
    };
    const next = keys[event.key];
    if (!next) return;
    event.preventDefault();
    select(next, true);
  }

  return (
    <div className="composer-tabs" data-mode={mode}>
      <div role="tablist" aria-label="Write a" className="composer-tabs__list" onKeyDown={onKeyDown}>
        {MODES.map(({ mode: m, label }) => (
          <button
            key={m}
            ref={(element) => {
              tabs.current[m] = element;
            }}
            type="button"
            role="tab"
            id={`${id}-${m}-tab`}
            aria-selected={mode === m}
            aria-controls={`${id}-${m}-panel`}
            tabIndex={mode === m ? 0 : -1}
            className={`composer-tabs__tab composer-tabs__tab--${m}`}
            onClick={() => {
              select(m, false);
              if (m === 'note') requestAnimationFrame(() => noteInput.current?.focus());
            }}
          >
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-reply-panel`} hidden={mode !== 'reply'}>
        <Composer
          conversationId={conversationId}
          conversation={conversation}
          connection={connection}
          onSend={onSend}
        />
      </div>
      <div role="tabpanel" id={`${id}-note-panel`} hidden={mode !== 'note'}>
        <NoteComposer
          conversationId={conversationId}
          conversation={conversation}
          onAddNote={onAddNote}
          inputRef={noteInput}
        />
      </div>
    </div>
  );
}
