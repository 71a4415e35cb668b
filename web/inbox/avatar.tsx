// The customer's picture: only ever a Parley URL (`/api/media/…`, the copy src/media stored, since
// Meta's picture URLs expire), else — or when the image fails to load — their initials on a colour
// picked from their id, so one customer keeps one colour everywhere. Decorative beside their name.
import { useState } from 'react';
import type { ConversationView } from '../api/contract.ts';
import { participantName } from './inbox-labels.ts';
import './avatar.css';

export function initialsOf(name: string): string {
  const words = name
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
  const letters = words.length > 1 ? [words[0]!, words.at(-1)!] : words.slice(0, 1);
  return letters.map((w) => [...w][0]!.toLocaleUpperCase()).join('') || '?';
}

function hueOf(id: string): number {
  let h = 0;
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) % 360;
  return h;
}

/** Only Parley's own media URLs are shown; anything else is treated as no picture. */
const isParleyUrl = (url: string | null | undefined): url is string =>
  typeof url === 'string' && url.startsWith('/api/media/');

export function Avatar({
  participant,
  size = 'small',
}: {
  participant: ConversationView['participant'];
  size?: 'small' | 'large';
}) {
  const [failed, setFailed] = useState<string | null>(null);
  const url = participant.avatar_url;
  const name = participantName(participant);
  const className = `avatar avatar--${size}`;
  if (isParleyUrl(url) && failed !== url) {
    return <img className={className} src={url} alt="" loading="lazy" onError={() => setFailed(url)} />;
  }
  return (
    <span
      className={`${className} avatar--initials`}
      aria-hidden="true"
      style={{ backgroundColor: `hsl(${hueOf(participant.id)} 45% 42%)` }}
    >
      {participant.name?.trim() ? initialsOf(participant.name) : initialsOf(name.replace(/ · .*/, ''))}
    </span>
  );
}
