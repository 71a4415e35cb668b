// Marks the words of a text that a search matched: a word matches when it starts with one of the
// search's words, ignoring case and accents — the rule the server's indexes apply (src/search/), so what
// is highlighted is what was found.
import type { ReactNode } from 'react';

const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** The search box's words, folded; empty when nothing searchable was typed. */
export function searchWords(q: string): string[] {
  return q
    .normalize('NFC')
    .split(/[^\p{L}\p{N}\p{M}]+/u)
    .filter((word) => /[\p{L}\p{N}]/u.test(word))
    .map(fold);
}

export function Highlighted({ text, words }: { text: string; words: string[] }): ReactNode {
  if (words.length === 0) return text;
  const parts: ReactNode[] = [];
  let at = 0;
  for (const match of text.matchAll(/[\p{L}\p{N}\p{M}]+/gu)) {
    const word = match[0];
    if (!words.some((w) => fold(word).startsWith(w))) continue;
    if (match.index > at) parts.push(text.slice(at, match.index));
    parts.push(<mark key={match.index}>{word}</mark>);
    at = match.index + word.length;
  }
  if (at < text.length) parts.push(text.slice(at));
  return parts;
}
