// The 190 family: what Meta says about a token that cannot be used (reference §10).
import { GraphError } from './graph-errors.ts';

const REVOKED_REASONS: Record<number, string> = {
  458: 'The user has not authorized application {app}.',
  459: 'You cannot access the app till you log in to www.facebook.com and follow the instructions given.',
  460: 'The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.',
  464: 'Sessions for the user are not allowed because the user is not a confirmed user.',
  467: 'The access token could not be decrypted',
  492: 'The session is invalid because the user is no longer an admin of the Page.',
};

export function revokedToken(subcode: number, appId: string): GraphError {
  const reason = (REVOKED_REASONS[subcode] ?? 'The session is invalid.').replace('{app}', appId);
  return new GraphError({ message: `Error validating access token: ${reason}`, code: 190, subcode });
}

export function expiredToken(expiresAt: number, now: number): GraphError {
  return new GraphError({
    message: `Error validating access token: Session has expired on ${formatMetaDate(expiresAt)}. The current time is ${formatMetaDate(now)}.`,
    code: 190,
    subcode: 463,
  });
}

export function malformedToken(): GraphError {
  return revokedToken(467, '');
}

/** "Thursday, 27-Nov-26 14:05:00 PST"-like, as in Meta's messages; the exact format does not matter to clients. */
function formatMetaDate(ms: number): string {
  const d = new Date(ms);
  const weekday = d.toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' });
  const day = String(d.getUTCDate()).padStart(2, '0');
  const month = d.toLocaleDateString('en-US', { month: 'short', timeZone: 'UTC' });
  const year = String(d.getUTCFullYear()).slice(-2);
  return `${weekday}, ${day}-${month}-${year} ${d.toISOString().slice(11, 19)} UTC`;
}
