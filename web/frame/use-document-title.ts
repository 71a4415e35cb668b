import { useEffect } from 'react';
import { useUnread } from './unread.tsx';

/**
 * The tab title names the page, and screen readers announce it on client-side navigation too. Signed
 * in, it starts with the number of conversations with unread customer messages: "(3) Inbox · Parley".
 */
export function useDocumentTitle(title: string): void {
  const unread = useUnread()?.summary?.conversations ?? 0;
  useEffect(() => {
    document.title = `${unread > 0 ? `(${unread}) ` : ''}${title} · Parley`;
  }, [title, unread]);
}
