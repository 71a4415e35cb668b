// Identifiers shaped like Meta's: numeric object ids, opaque EAA… tokens, AQ… codes, m_… message ids and
// short fbtrace ids. They are random, not derived from anything, so the app cannot rely on their content.
import { randomBytes, randomInt } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomDigits(length: number): string {
  let out = String(randomInt(1, 10));
  while (out.length < length) out += String(randomInt(0, 10));
  return out;
}

function alphanumeric(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALPHANUMERIC[b % ALPHANUMERIC.length];
  return out;
}

/** User and Page tokens: Meta's start with "EAA" and are long runs of letters and digits. */
export function accessTokenValue(): string {
  return `EAA${alphanumeric(6)}ZB${alphanumeric(160)}`;
}

/** Authorization codes: long, URL-safe, start with "AQ". */
export function authorizationCodeValue(): string {
  return `AQ${randomBytes(180).toString('base64url')}`;
}

export function traceId(): string {
  return `A${randomBytes(16).toString('base64url').slice(0, 22)}`;
}

/** Messenger mids look like "m_…"; Instagram mids are base64 of "ig_…", hence "aWdf…". */
export function messageId(channel: 'messenger' | 'instagram'): string {
  const tail = randomBytes(64).toString('base64url');
  return channel === 'messenger' ? `m_${tail}` : `aWdfZAG${tail}`;
}
