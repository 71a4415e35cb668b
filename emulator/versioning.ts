// Graph paths carry a version (`/v27.0/me/accounts`); the router strips it (rewriteUrl in app.ts) so each
// route is declared once and unversioned paths work too. Handlers read the version back from here.
import type { FastifyRequest } from 'fastify';

const VERSION_PREFIX = /^\/(v\d+\.\d+)(?=\/|\?|$)/;

export function stripVersion(url: string): string {
  const stripped = url.replace(VERSION_PREFIX, '');
  return stripped === '' || stripped.startsWith('?') ? `/${stripped}` : stripped;
}

export function requestedVersion(req: FastifyRequest): string | null {
  return req.originalUrl.match(VERSION_PREFIX)?.[1] ?? null;
}

/** The origin the caller used, so absolute URLs we hand out (paging.next) point back at us. */
export function requestBaseUrl(req: FastifyRequest): string {
  return `${req.protocol}://${req.host}`;
}

/** The path as the caller sent it, version included, without the query string. */
export function originalPath(req: FastifyRequest): string {
  return req.originalUrl.split('?')[0] ?? '/';
}

/** "/v27.0" for a versioned request, "" for an unversioned one: what links we build should start with. */
export function versionPrefix(req: FastifyRequest): string {
  const version = requestedVersion(req);
  return version ? `/${version}` : '';
}
