// The thread header's line on who else is here: "Ana is typing…", "Ana and Bo are viewing", both kinds
// at once ("Ana is typing… · Bo is viewing"). A polite live region, always in the page (an empty one
// while nobody else is here), so screen readers hear arrivals without losing their place; the text
// only changes when someone arrives, starts or stops typing, or leaves.
import type { PresentMember } from './use-presence.ts';
import './presence-line.css';

/** "Ana", "Ana and Bo", "Ana, Bo and Cy", "Ana, Bo and 3 others". */
export function namesList(names: string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  if (names.length <= 3) return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return `${names.slice(0, 2).join(', ')} and ${names.length - 2} others`;
}

export function presenceText(members: PresentMember[]): string {
  const typing = members.filter((m) => m.state === 'typing').map((m) => m.name);
  const viewing = members.filter((m) => m.state === 'viewing').map((m) => m.name);
  const parts: string[] = [];
  if (typing.length > 0) parts.push(`${namesList(typing)} ${typing.length === 1 ? 'is' : 'are'} typing…`);
  if (viewing.length > 0) parts.push(`${namesList(viewing)} ${viewing.length === 1 ? 'is' : 'are'} viewing`);
  return parts.join(' · ');
}

export function PresenceLine({ members }: { members: PresentMember[] }) {
  const text = presenceText(members);
  const typing = members.some((m) => m.state === 'typing');
  return (
    <p className={`presence-line${typing ? ' presence-line--typing' : ''}`} role="status" aria-live="polite">
      {text ? <span className="presence-line__dot" aria-hidden="true" /> : null}
      {text || null}
    </p>
  );
}
