// Tokens of single-use links (invitations, password resets): 256 random bits in the URL, only their
// SHA-256 in the database, so a leaked table row cannot be turned back into a working link. A fast hash
// is enough for that: the token has full entropy, nothing to brute-force.
import { createHash, randomBytes } from 'node:crypto';

export const hashLinkToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function newLinkToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashLinkToken(token) };
}

/** Anything else is not one of ours: skip the database. */
export const looksLikeLinkToken = (token: string) => /^[A-Za-z0-9_-]{43}$/.test(token);
