// Classifies Graph failures by code and subcode, never by message text (field lessons row 4). Every
// caller uses this one table: the client to decide retries, the services to decide status.
import { GraphApiError, GraphResponseError, GraphTransportError } from './graph-errors.ts';

export type GraphFailureClass =
  /** The token was invalidated: the connection needs a new Facebook Login (R32). */
  | 'reauth_required'
  /** A permission or capability is missing: a person must act (grant it, fix the Page role). */
  | 'permission'
  /** Throttled: back off, honouring the usage headers. */
  | 'rate_limited'
  /** Meta or the network had a passing problem: retry with backoff. */
  | 'transient'
  /** Our request was wrong or the object is gone: retrying cannot help. */
  | 'permanent';

const RATE_LIMIT_CODES = new Set([4, 17, 32, 613]);
const TRANSIENT_CODES = new Set([1, 2, 341]);
const PERMISSION_CODES = new Set([3, 10, 230]);

export function classifyGraphError(err: unknown): GraphFailureClass {
  if (err instanceof GraphTransportError) return 'transient';
  if (err instanceof GraphResponseError) return err.httpStatus >= 500 ? 'transient' : 'permanent';
  if (!(err instanceof GraphApiError)) return 'permanent';
  const { code } = err;
  if (code === 190 || code === 102) return 'reauth_required';
  if (RATE_LIMIT_CODES.has(code) || (code >= 80001 && code <= 80014)) return 'rate_limited';
  if (TRANSIENT_CODES.has(code) || err.isTransient) return 'transient';
  if (PERMISSION_CODES.has(code) || (code >= 200 && code <= 299)) return 'permission';
  if (err.httpStatus >= 500 && code === 0) return 'transient';
  return 'permanent';
}

/** Human wording for a failure, shown to admins next to a connection's status (no internals). */
export function describeGraphFailure(err: unknown): string {
  const cls = classifyGraphError(err);
  const code =
    err instanceof GraphApiError ? ` (Meta error ${err.code}${err.subcode ? `/${err.subcode}` : ''})` : '';
  switch (cls) {
    case 'reauth_required':
      return `Meta rejected the access token${code}; reconnect with Facebook.`;
    case 'permission':
      return `Meta refused for lack of a permission${code}; reconnect and grant every requested permission.`;
    case 'rate_limited':
      return `Meta is rate limiting requests${code}; retrying shortly.`;
    case 'transient':
      return `Meta could not be reached or had a temporary problem${code}; retrying.`;
    default:
      return `Meta refused the request${code}.`;
  }
}
