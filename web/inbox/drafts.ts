// Unsent text, kept per conversation and per box (the reply, the note) for as long as the browser tab
// lives: switching to another conversation, following "Fix it" to Settings and back, or reloading the
// page keeps what was typed, as team inboxes do. sessionStorage rather than localStorage: a draft can
// quote a customer, and a shared computer should not keep it once the tab is closed. Drafts are kept per
// signed-in person: logging out forgets them all (forgetDrafts), and someone else signing in on the tab
// after a session expired never sees another's, while the same person gets theirs back. Storage that
// refuses (full, or blocked by the browser) only means drafts are not kept: typing goes on.
import { useState } from 'react';
import { useSignedInSession } from '../session/session-context.tsx';

export type DraftBox = 'reply' | 'note';

const PREFIX = 'parley.draft.';

function read(key: string): string {
  try {
    return sessionStorage.getItem(key) ?? '';
  } catch {
    return '';
  }
}

function write(key: string, text: string): void {
  try {
    if (text.trim() === '') sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, text);
  } catch {
    // Not kept; the box still holds it.
  }
}

export function forgetDrafts(): void {
  try {
    for (const key of Object.keys(sessionStorage)) if (key.startsWith(PREFIX)) sessionStorage.removeItem(key);
  } catch {
    // Nothing could have been kept either.
  }
}

/** A box's text, read back from the tab's drafts when the box mounts and kept there as it changes. */
export function useDraft(box: DraftBox, conversationId: string): [string, (text: string) => void] {
  const key = `${PREFIX}${useSignedInSession().user.id}.${box}.${conversationId}`;
  const [draft, setState] = useState(() => read(key));
  const setDraft = (text: string) => {
    write(key, text);
    setState(text);
  };
  return [draft, setDraft];
}
