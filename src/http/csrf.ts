// The CSRF rule for state-changing /api requests (CONTRACT §3, R25): they must be JSON (a cross-site
// form cannot send application/json without a CORS preflight we never grant), and a request whose
// Origin is another site, or whose Sec-Fetch-Site says cross-site, is refused.
import type { FastifyRequest } from 'fastify';

export class CsrfRejectedError extends Error {
  constructor() {
    super('This request came from another site');
    this.name = 'CsrfRejectedError';
  }
}

export class UnsupportedMediaTypeError extends Error {
  constructor() {
    super('State-changing requests must send Content-Type: application/json');
    this.name = 'UnsupportedMediaTypeError';
  }
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function checkCsrf(request: FastifyRequest, publicOrigin: string): void {
  if (SAFE.has(request.method)) return;
  const fetchSite = request.headers['sec-fetch-site'];
  if (fetchSite === 'cross-site') throw new CsrfRejectedError();
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== publicOrigin && origin !== requestOrigin(request)) {
    throw new CsrfRejectedError();
  }
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'multipart/form-data' && acceptsUpload(request)) return;
  if (type !== 'application/json') throw new UnsupportedMediaTypeError();
}

/**
 * A file upload cannot be JSON. A cross-site form can post multipart/form-data without a preflight,
 * but it cannot add a custom header: the routes that take files (route config `upload: true`) also
 * require `X-Parley-Upload: 1`, which a cross-origin script could only send after a CORS preflight we
 * never grant.
 */
function acceptsUpload(request: FastifyRequest): boolean {
  const config = request.routeOptions.config as { upload?: boolean } | undefined;
  if (config?.upload !== true) return false;
  if (request.headers['x-parley-upload'] !== '1') throw new CsrfRejectedError();
  return true;
}

/** The origin the request was addressed to, for a deployment reached under more than one host name. */
function requestOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}
