// The composer's Note mode: an internal note for the team, never sent to the customer. It looks unlike
// the reply box on purpose (warm yellow, "Internal note", "Add note") so nobody writes to the customer
// believing it is private, or the other way round. Enter adds the note, Shift+Enter starts a new line,
// `@` offers teammates to mention (use-mention-picker.ts). A failed note keeps its text in the box, and
// an unsent one is kept per conversation (drafts.ts).
import { type FormEvent, type KeyboardEvent, useId, useLayoutEffect, useRef, useState } from 'react';
import type { ConversationView } from '../api/contract.ts';
import { Alert } from '../ui/alert.tsx';
import { Button } from '../ui/button.tsx';
import { useDraft } from './drafts.ts';
import { MentionListbox } from './mention-listbox.tsx';
import './notes.css';
import type { SendResult } from './use-inbox.ts';
import { useMentionPicker } from './use-mention-picker.ts';

/** A note's limit (CONTRACT §6); the counter shows from 90 % of it. */
export const NOTE_LIMIT = 5000;

export function NoteComposer({
  conversationId,
  conversation,
  onAddNote,
  inputRef,
}: {
  conversationId: string;
  conversation: ConversationView | undefined;
  onAddNote: (text: string) => Promise<SendResult>;
  inputRef?: React.RefObject<HTMLTextAreaElement | null>;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const [draft, setDraft] = useDraft('note', conversationId);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const ownRef = useRef<HTMLTextAreaElement>(null);
  const input = inputRef ?? ownRef;
  // Where the caret goes once React has put the new text in the box: in a layout effect, before the
  // next key is handled (a frame later, a key typed at once landed after the caret moved back).
  const [caretAt, setCaretAt] = useState<number | null>(null);
  useLayoutEffect(() => {
    if (caretAt === null) return;
    input.current?.setSelectionRange(caretAt, caretAt);
    setCaretAt(null);
  }, [caretAt, input]);
  const picker = useMentionPicker(draft, (next, caret) => {
    setDraft(next);
    picker.track(next, caret);
    setCaretAt(caret);
  });
  const text = draft.trim();
  const over = text.length - NOTE_LIMIT;

  async function add() {
    if (!conversation || !text || busy || over > 0) return;
    setBusy(true);
    setFailure(null);
    const result = await onAddNote(text);
    setBusy(false);
    if (result.ok) {
      setDraft('');
      picker.track('', 0);
      input.current?.focus();
    } else {
      setFailure(`The note was not added: ${result.error.message}`);
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (picker.onKeyDown(event)) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void add();
    }
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void add();
  }

  return (
    <form className="composer composer--note" onSubmit={onSubmit}>
      {failure && (
        <Alert tone="error" onDismiss={() => setFailure(null)}>
          {failure}
        </Alert>
      )}
      <label htmlFor={id} className="visually-hidden">
        Internal note
      </label>
      <div className="composer__row note-composer__row">
        <div className="note-composer__field">
          <MentionListbox picker={picker} />
          <textarea
            id={id}
            ref={input}
            className="composer__input note-composer__input"
            rows={2}
            dir="auto"
            value={draft}
            placeholder="A note for your team; @ mentions"
            aria-describedby={hintId}
            aria-invalid={over > 0 || undefined}
            {...picker.comboboxProps}
            onChange={(event) => {
              setDraft(event.target.value);
              picker.track(event.target.value, event.target.selectionStart);
            }}
            onSelect={(event) => picker.track(event.currentTarget.value, event.currentTarget.selectionStart)}
            onKeyDown={onKeyDown}
          />
        </div>
        <Button type="submit" variant="primary" busy={busy} disabled={!text || over > 0}>
          Add note
        </Button>
      </div>
      <div className="composer__footer">
        <p id={hintId} className="composer__status note-composer__hint">
          Only your team sees notes; the customer never does.
        </p>
        {text.length >= NOTE_LIMIT * 0.9 && (
          <span className={`composer__counter${over > 0 ? ' composer__counter--over' : ''}`}>
            {text.length.toLocaleString('en')} / {NOTE_LIMIT.toLocaleString('en')}
          </span>
        )}
      </div>
      {over > 0 && (
        <p className="composer__too-long" role="alert">
          A note holds at most {NOTE_LIMIT.toLocaleString('en')} characters: remove{' '}
          {over.toLocaleString('en')} to add it. Nothing is cut.
        </p>
      )}
    </form>
  );
}
