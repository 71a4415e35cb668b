// What a search box's text means: its words, each matched as the start of a word (so "ped" finds
// "Pedro" while typing), all of them required. Folding (lowercase, accents off) is done by each
// database's own index for stored text; here only for the snippet, which must find the same words.
const WORD_SEPARATORS = /[^\p{L}\p{N}\p{M}]+/u;
const HAS_WORD_CHARACTER = /[\p{L}\p{N}]/u;
export const MAX_TERMS = 8;
const MAX_TERM_LENGTH = 64;

/** The query's words as typed (NFC), at most MAX_TERMS; empty when nothing searchable was typed. */
export function searchTerms(q: string | undefined): string[] {
  if (!q) return [];
  return q
    .normalize('NFC')
    .split(WORD_SEPARATORS)
    .filter((t) => HAS_WORD_CHARACTER.test(t))
    .map((t) => t.slice(0, MAX_TERM_LENGTH))
    .slice(0, MAX_TERMS);
}

/** Lowercase without accents, for comparing words the way the indexes do. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}
