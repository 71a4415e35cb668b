// The composer's `/` picker: typing `/` at the start of the reply or after a space lists the saved
// replies, filtered by what follows the slash (saved-reply-match.ts); Up/Down choose, Enter or Tab (or a
// click) puts the reply's text in place of the `/query`, Escape closes and keeps what was typed.
// `{{first_name}}` and `{{name}}` become the customer's name (saved-reply-placeholders.ts).
import { type RefObject, useEffect, useLayoutEffect, useState } from 'react';
import type { SavedReplyView } from '../api/contract.ts';
import { useSignedInSession } from '../session/session-context.tsx';
import { matchSavedReplies } from './saved-reply-match.ts';
import { fillPlaceholders, firstPlaceholder } from './saved-reply-placeholders.ts';
import { useSavedReplies } from './use-saved-replies.ts';
import { type TriggerPicker, useTriggerPicker } from './use-trigger-picker.ts';
import './trigger-picker.css';

export function useSavedReplyPicker({
  input,
  customerName,
  setText,
}: {
  input: RefObject<HTMLTextAreaElement | null>;
  customerName: string | null;
  /** Replaces the box's whole text (the composer's draft). */
  setText: (text: string) => void;
}) {
  const { organization } = useSignedInSession();
  const saved = useSavedReplies(organization.id);
  // Where the caret goes once React has put the new text in the box.
  const [selection, setSelection] = useState<[number, number] | null>(null);
  useLayoutEffect(() => {
    if (!selection) return;
    input.current?.focus();
    input.current?.setSelectionRange(selection[0], selection[1]);
    setSelection(null);
  }, [selection, input]);

  const picker = useTriggerPicker<SavedReplyView>({
    trigger: '/',
    filter: (query) => (saved.replies ? matchSavedReplies(saved.replies, query) : []),
    onOpen: saved.refresh,
    onPick: (reply, token) => {
      const text = input.current?.value ?? '';
      const inserted = fillPlaceholders(reply.text, customerName);
      setText(text.slice(0, token.start) + inserted + text.slice(token.end));
      const hole = firstPlaceholder(inserted);
      const at = token.start + inserted.length;
      setSelection(hole ? [token.start + hole[0], token.start + hole[1]] : [at, at]);
    },
  });

  const list = (
    <SavedReplyList
      picker={picker}
      replies={saved.replies}
      failed={saved.error !== null}
      customerName={customerName}
    />
  );
  return { picker, list };
}

function SavedReplyList({
  picker,
  replies,
  failed,
  customerName,
}: {
  picker: TriggerPicker<SavedReplyView>;
  replies: SavedReplyView[] | null;
  failed: boolean;
  customerName: string | null;
}) {
  const activeId = picker.open ? picker.optionId(picker.active) : null;
  useEffect(() => {
    if (activeId) document.getElementById(activeId)?.scrollIntoView?.({ block: 'nearest' });
  }, [activeId]);
  if (!picker.open) return null;

  const query = picker.token?.query.trim() ?? '';
  let notice: string | null = null;
  if (replies === null) notice = failed ? 'Saved replies could not be loaded.' : 'Loading saved replies…';
  else if (replies.length === 0)
    notice = 'No saved replies yet. Owners and admins add them in Settings → Saved replies.';
  else if (picker.options.length === 0) notice = `No saved reply matches “${query}”.`;

  return (
    <div className="trigger-picker__anchor">
      <div className="trigger-picker">
        <p className="trigger-picker__head" aria-hidden="true">
          <span>Saved replies</span>
          <span className="trigger-picker__keys">↑↓ choose · Enter insert · Esc close</span>
        </p>
        {notice && (
          <p className="trigger-picker__notice" role="status">
            {notice}
          </p>
        )}
        <div id={picker.listId} role="listbox" aria-label="Saved replies" className="trigger-picker__list">
          {picker.options.map((reply, index) => (
            // Focus stays in the reply box (aria-activedescendant); the keyboard acts there, so an
            // option needs no key handler of its own, and mousedown must not take the focus away
            // (tabIndex -1 only lets assistive tech treat it as focusable, as the pattern expects).
            // biome-ignore lint/a11y/useKeyWithClickEvents: see above
            <div
              key={reply.id}
              tabIndex={-1}
              id={picker.optionId(index)}
              role="option"
              aria-selected={index === picker.active}
              className="trigger-picker__option"
              onMouseDown={(event) => event.preventDefault()}
              onMouseMove={() => picker.setActive(index)}
              onClick={() => picker.pick(index)}
            >
              <span className="trigger-picker__title">{reply.title}</span>
              {/* The text as it will be inserted, with this customer's name. */}
              <span className="trigger-picker__text">{fillPlaceholders(reply.text, customerName)}</span>
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
