// The snippet of a matching message shown under a search hit: the text around the first word that
// starts with one of the search terms, cut at word boundaries, with "…" where it was cut. Computed here
// (not by FTS5's snippet() or ts_headline) so both databases give the same text.
import { fold } from './search-terms.ts';

// Little before the hit, more after: the list shows a line or two, and the hit must be in them.
const BEFORE = 24;
const AFTER = 120;

export function makeSnippet(text: string, terms: string[]): string {
  const folded = terms.map(fold);
  const words = [...text.matchAll(/[\p{L}\p{N}\p{M}]+/gu)];
  const hit = words.find((w) => folded.some((t) => fold(w[0]).startsWith(t)));
  const at = hit?.index ?? 0;
  let start = Math.max(0, at - BEFORE);
  let end = Math.min(text.length, at + (hit?.[0].length ?? 0) + AFTER);
  if (start > 0) {
    const space = text.indexOf(' ', start);
    start = space !== -1 && space < at ? space + 1 : start;
  }
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    end = space > at ? space : end;
  }
  const body = text.slice(start, end).replace(/\s+/g, ' ').trim();
  return `${start > 0 ? '…' : ''}${body}${end < text.length ? '…' : ''}`;
}
