// Which saved replies fit what was typed after `/`, best first: titles that start with it, then titles
// with a word that starts with it, then titles that contain it, then texts that contain it; each group
// in the list's order (by title). Case and accents don't matter ("cafe" finds "Café").
import type { SavedReplyView } from '../api/contract.ts';

const folded = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

function rank(reply: SavedReplyView, query: string): number | null {
  const title = folded(reply.title);
  if (title.startsWith(query)) return 0;
  if (title.split(/[^\p{L}\p{N}]+/u).some((word) => word.startsWith(query))) return 1;
  if (title.includes(query)) return 2;
  if (folded(reply.text).includes(query)) return 3;
  return null;
}

export function matchSavedReplies(replies: readonly SavedReplyView[], typed: string): SavedReplyView[] {
  const query = folded(typed.trim());
  if (!query) return [...replies];
  return replies
    .map((reply, index) => ({ reply, index, rank: rank(reply, query) }))
    .filter((r): r is { reply: SavedReplyView; index: number; rank: number } => r.rank !== null)
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((r) => r.reply);
}
