// A picker that a trigger character opens inside a text box: the state and keyboard of the ARIA 1.2
// combobox pattern with the text box as the combobox, a listbox of options, and aria-activedescendant
// (focus never leaves the box, so typing goes on filtering). Up/Down move, Enter or Tab picks, Escape
// closes and keeps the typed text (until a new trigger is typed). Generic over what is picked, so the
// saved replies (`/`) and mentions (`@`) share it.
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { findTriggerToken, type TriggerToken } from './trigger-token.ts';

export interface TriggerPickerOptions<T> {
  trigger: string;
  /** The options for what follows the trigger, best first. */
  filter: (query: string) => T[];
  /** Called with the token it replaces; the caller changes the text. */
  onPick: (item: T, token: TriggerToken) => void;
  /** Called each time the picker opens (e.g. to refresh its list). */
  onOpen?: () => void;
}

export interface TriggerPicker<T> {
  open: boolean;
  token: TriggerToken | null;
  options: T[];
  active: number;
  listId: string;
  optionId: (index: number) => string;
  setActive: (index: number) => void;
  pick: (index: number) => void;
  close: () => void;
  /** Call from the box's onChange, onSelect and onClick: reads the text and the caret. */
  track: (box: HTMLTextAreaElement | HTMLInputElement) => void;
  /** Call first in the box's onKeyDown; true when the picker used the key (the caller stops there). */
  onKeyDown: (event: KeyboardEvent) => boolean;
  /** The combobox attributes for the text box. */
  inputProps: {
    role: 'combobox';
    'aria-expanded': boolean;
    'aria-autocomplete': 'list';
    'aria-controls': string | undefined;
    'aria-activedescendant': string | undefined;
    onBlur: () => void;
  };
}

export function useTriggerPicker<T>(options: TriggerPickerOptions<T>): TriggerPicker<T> {
  const listId = useId();
  const [token, setToken] = useState<TriggerToken | null>(null);
  // Escape closes the picker for this trigger only: remembered by where the trigger stands.
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const [active, setActive] = useState(0);
  const typing = token !== null && token.start !== dismissedAt;
  const found = typing ? options.filter(token.query) : [];
  // "5 / 10 apples": once a space is typed and nothing matches, it is prose, not a search.
  const open = typing && (found.length > 0 || !/\s/.test(token.query));
  const current = Math.min(active, Math.max(found.length - 1, 0));

  const onOpen = useRef(options.onOpen);
  onOpen.current = options.onOpen;
  useEffect(() => {
    if (open) onOpen.current?.();
  }, [open]);

  function track(box: HTMLTextAreaElement | HTMLInputElement) {
    const caret = box.selectionStart === box.selectionEnd ? box.selectionStart : null;
    const next = caret === null ? null : findTriggerToken(box.value, caret, options.trigger);
    if (next?.start !== token?.start || next?.query !== token?.query) setActive(0);
    if (next === null || next.start !== dismissedAt) setDismissedAt(null);
    setToken(next);
  }

  function close() {
    if (token) setDismissedAt(token.start);
  }

  function pick(index: number) {
    const item = found[index];
    if (!token || item === undefined) return;
    setToken(null);
    setDismissedAt(null);
    options.onPick(item, token);
  }

  function onKeyDown(event: KeyboardEvent): boolean {
    if (!open || event.nativeEvent.isComposing) return false;
    if (event.key === 'Escape') {
      close();
      event.preventDefault();
      event.stopPropagation();
      return true;
    }
    // With nothing to choose, Enter and Tab keep their usual meaning (send, leave the box).
    if (found.length === 0) return false;
    const move = { ArrowDown: 1, ArrowUp: -1 }[event.key];
    if (move !== undefined) {
      setActive((current + move + found.length) % found.length);
    } else if ((event.key === 'Enter' && !event.shiftKey) || (event.key === 'Tab' && !event.shiftKey)) {
      pick(current);
    } else {
      return false;
    }
    event.preventDefault();
    return true;
  }

  const optionId = (index: number) => `${listId}-option-${index}`;
  return {
    open,
    token,
    options: found,
    active: current,
    listId,
    optionId,
    setActive,
    pick,
    close,
    track,
    onKeyDown,
    inputProps: {
      role: 'combobox',
      'aria-expanded': open,
      'aria-autocomplete': 'list',
      'aria-controls': open ? listId : undefined,
      'aria-activedescendant': open && found.length > 0 ? optionId(current) : undefined,
      // Leaving the box closes the list without dismissing it: typing there again reopens it.
      onBlur: () => setToken(null),
    },
  };
}
