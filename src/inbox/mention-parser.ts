// Which members a note @mentions. `@` followed by a member's handle — their display name, or the local
// part of their email when they have none — mentions them, compared case-insensitively. Names may hold
// spaces ("@Ana Lima"), so at each `@` the longest handle that matches wins ("@Ana Lima" over "@Ana"),
// and a handle must end where a word ends ("@Anabel" does not mention "Ana"). Anything else after `@`
// (an email address, someone outside the organization) is just text.

export interface Mentionable {
  id: string;
  name: string | null;
  email: string;
}

/** The handle typed after `@` for a member. */
export function mentionHandle(member: Mentionable): string {
  const name = member.name?.trim();
  return name ? name : (member.email.split('@')[0] ?? member.email);
}

// A letter, digit or mark right after the handle would mean the word goes on.
const WORD_GOES_ON = /[\p{L}\p{N}\p{M}_]/u;

/** The ids of the members `text` mentions, each once, in order of first mention. */
export function findMentions(text: string, members: readonly Mentionable[]): string[] {
  const handles = members
    .map((m) => ({ id: m.id, handle: mentionHandle(m).toLocaleLowerCase() }))
    .filter((h) => h.handle.length > 0)
    .sort((a, b) => b.handle.length - a.handle.length);
  const lower = text.toLocaleLowerCase();
  const found: string[] = [];
  for (let at = lower.indexOf('@'); at !== -1; at = lower.indexOf('@', at + 1)) {
    // `ana@example.com` is an address, not a mention.
    if (at > 0 && WORD_GOES_ON.test(lower[at - 1]!)) continue;
    const rest = lower.slice(at + 1);
    const hit = handles.find(
      (h) => rest.startsWith(h.handle) && !WORD_GOES_ON.test(rest.charAt(h.handle.length)),
    );
    if (hit && !found.includes(hit.id)) found.push(hit.id);
  }
  return found;
}
