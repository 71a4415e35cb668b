// The note composer's @-picker as a hook, so the box it serves only wires props: typing `@` offers the
// organization's members whose handle starts with what follows (or has a word that does), and the keys
// work as in any combobox — ↑/↓ move, Enter or Tab insert "@Name ", Escape closes the list (until the
// next `@`). The textarea is the combobox; the list is a listbox whose active option is named by
// aria-activedescendant, so focus never leaves the box.
import { type KeyboardEvent, useId, useMemo, useState } from 'react';
import type { MembersResponse, MemberView } from '../api/contract.ts';
import { useApi } from '../api/use-api.ts';
import { mentionHandle, mentionQuery } from './mention-handle.ts';

const SHOWN = 6;

export type MentionPicker = {
  listId: string;
  optionId: (index: number) => string;
  /** Members offered now (empty when the list is closed). */
  options: Array<{ member: MemberView; handle: string }>;
  active: number;
  /** Props for the textarea: role and ARIA state. */
  comboboxProps: {
    role: 'combobox';
    'aria-expanded': boolean;
    'aria-controls': string;
    'aria-autocomplete': 'list';
    'aria-activedescendant': string | undefined;
  };
  /** Call with the box's text and caret after every change or caret move. */
  track: (text: string, caret: number) => void;
  /** Handles the key if the list is open; true when it did (the box must not act on it too). */
  onKeyDown: (event: KeyboardEvent<HTMLTextAreaElement>) => boolean;
  choose: (index: number) => void;
  setActive: (index: number) => void;
};

export function matchesQuery(handle: string, query: string): boolean {
  const h = handle.toLocaleLowerCase();
  const q = query.toLocaleLowerCase();
  return h.startsWith(q) || h.split(/\s+/).some((word) => word.startsWith(q));
}

export function useMentionPicker(
  text: string,
  /** Replaces the box's text and puts the caret at `caret`. */
  replace: (next: string, caret: number) => void,
): MentionPicker {
  const listId = useId();
  const members = useApi<MembersResponse>('/api/organization/members');
  const [typing, setTyping] = useState<{ start: number; query: string } | null>(null);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const [active, setActive] = useState(0);

  const options = useMemo(() => {
    if (!typing || typing.start === dismissedAt || members.status !== 'ready') return [];
    return members.data.members
      .map((member) => ({ member, handle: mentionHandle(member) }))
      .filter((o) => matchesQuery(o.handle, typing.query))
      .slice(0, SHOWN);
  }, [typing, dismissedAt, members]);
  const open = options.length > 0;
  const current = Math.min(active, Math.max(options.length - 1, 0));

  const track = (value: string, caret: number) => {
    const next = mentionQuery(value, caret);
    if (next?.start !== typing?.start) setActive(0);
    setTyping(next);
    if (next === null || next.start !== dismissedAt) setDismissedAt(null);
  };

  const choose = (index: number) => {
    const option = options[index];
    if (!option || !typing) return;
    const end = typing.start + 1 + typing.query.length;
    const inserted = `@${option.handle} `;
    replace(text.slice(0, typing.start) + inserted + text.slice(end), typing.start + inserted.length);
    setTyping(null);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!open || event.nativeEvent.isComposing) return false;
    switch (event.key) {
      case 'ArrowDown':
        setActive((current + 1) % options.length);
        break;
      case 'ArrowUp':
        setActive((current - 1 + options.length) % options.length);
        break;
      case 'Enter':
      case 'Tab':
        if (event.shiftKey) return false;
        choose(current);
        break;
      case 'Escape':
        setDismissedAt(typing?.start ?? null);
        break;
      default:
        return false;
    }
    event.preventDefault();
    return true;
  };

  const optionId = (index: number) => `${listId}-option-${index}`;
  return {
    listId,
    optionId,
    options,
    active: current,
    comboboxProps: {
      role: 'combobox',
      'aria-expanded': open,
      'aria-controls': listId,
      'aria-autocomplete': 'list',
      'aria-activedescendant': open ? optionId(current) : undefined,
    },
    track,
    onKeyDown,
    choose,
    setActive,
  };
}
