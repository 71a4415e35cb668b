// The handle a member is @mentioned by: their display name, or their email's local part when they have
// none. The server resolves mentions with the same rule (src/inbox/mention-parser.ts); web/ imports
// nothing from src/ but the contract, so the one line is written twice.
import type { MemberView } from '../api/contract.ts';

export function mentionHandle(member: Pick<MemberView, 'name' | 'email'>): string {
  const name = member.name?.trim();
  return name ? name : (member.email.split('@')[0] ?? member.email);
}

/**
 * The `@…` being typed just before the caret, if any: an `@` at the start or after a space, and no line
 * break since (names may hold spaces, so spaces do not end it).
 */
export function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf('@');
  if (at === -1) return null;
  if (at > 0 && !/\s/.test(before[at - 1]!)) return null;
  const query = before.slice(at + 1);
  if (query.includes('\n') || query.length > 80) return null;
  return { start: at, query };
}
