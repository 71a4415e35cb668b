import { useEffect } from 'react';

/** The tab title names the page, and screen readers announce it on client-side navigation too. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Parley`;
  }, [title]);
}
