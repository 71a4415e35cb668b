// The only place web/ talks HTTP. Paths are typed to same-origin `/api/…`, so the session cookie
// (HttpOnly, SameSite=Lax) rides along and nothing here can be pointed at another site.
//
// Response bodies are cast to the contract's types rather than parsed: the server validates every
// response against the same zod schemas, and shipping zod to the browser would double the bundle.
import { ApiError } from './api-error.ts';
import type { ErrorBody } from './contract.ts';

export type ApiPath = `/api/${string}`;

/** Dispatched on `window` whenever the server answers 401, so the session can end and show the login. */
export const SESSION_EXPIRED_EVENT = 'parley:session-expired';

/**
 * Dispatched on `window` when who-is-signed-in may have changed without a 401: a live stream ended by
 * the server, or 403 `two_factor_required` (the organization now requires two-factor sign-in). The
 * session asks /api/auth/me again.
 */
export const SESSION_CHECK_EVENT = 'parley:session-check';

export function apiGet<T>(path: ApiPath, signal?: AbortSignal): Promise<T> {
  return apiRequest<T>('GET', path, undefined, signal);
}

/**
 * A state-changing call. The body is always JSON, `{}` when there is nothing to send: the server's CSRF
 * rule rejects a POST without `Content-Type: application/json`, and Fastify rejects that content type
 * with an empty body.
 */
export function apiPost<T>(path: ApiPath, body: object = {}): Promise<T> {
  return apiRequest<T>('POST', path, body);
}

/**
 * A last report as the page goes away (pagehide): `keepalive` lets it outlive the page. Not sendBeacon,
 * which cannot send the JSON content type the CSRF rule requires. Nothing waits for the answer.
 */
export function apiPostOnUnload(path: ApiPath, body: object): void {
  try {
    void fetch(path, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify(body),
      keepalive: true,
    }).catch(() => undefined);
  } catch {
    // Too late to send anything: the report expires on the server instead.
  }
}

/** A partial update (JSON body), under the same CSRF rule as apiPost. */
export function apiPatch<T>(path: ApiPath, body: object): Promise<T> {
  return apiRequest<T>('PATCH', path, body);
}

export function apiDelete(path: ApiPath): Promise<void> {
  return apiRequest<void>('DELETE', path, undefined);
}

async function apiRequest<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: ApiPath,
  body: object | undefined,
  signal?: AbortSignal,
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET') headers['Content-Type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch {
    throw new ApiError(
      0,
      'network_error',
      'Parley could not be reached. Check your connection and try again.',
    );
  }

  const payload = await readJson(response);
  if (response.ok) {
    if (payload === undefined && response.status !== 204) {
      throw new ApiError(response.status, 'invalid_response', 'Parley sent an answer this page cannot read.');
    }
    return payload as T;
  }

  if (response.status === 401) window.dispatchEvent(new Event(SESSION_EXPIRED_EVENT));
  if (response.status === 403 && errorCode(payload) === 'two_factor_required') {
    window.dispatchEvent(new Event(SESSION_CHECK_EVENT));
  }
  throw toApiError(response.status, payload);
}

async function readJson(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  try {
    return await response.json();
  } catch {
    // A proxy's HTML error page or an empty body: the status alone has to speak for it.
    return undefined;
  }
}

function toApiError(status: number, payload: unknown): ApiError {
  if (isErrorBody(payload)) return new ApiError(status, payload.error.code, payload.error.message);
  const message =
    status >= 500
      ? 'Parley ran into a problem. Try again in a moment.'
      : `The request failed (HTTP ${status}).`;
  return new ApiError(status, 'http_error', message);
}

function isErrorBody(payload: unknown): payload is ErrorBody {
  if (typeof payload !== 'object' || payload === null || !('error' in payload)) return false;
  const { error } = payload;
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    'message' in error &&
    typeof error.message === 'string'
  );
}

function errorCode(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null || !('error' in payload)) return undefined;
  const { error } = payload as { error: { code?: unknown } | null };
  return typeof error?.code === 'string' ? error.code : undefined;
}

/**
 * A file upload (multipart) with progress. XMLHttpRequest, not fetch: fetch cannot report upload
 * progress. `X-Parley-Upload: 1` is the upload routes' CSRF guard (a cross-site form cannot add it).
 */
export function apiUpload<T>(
  path: ApiPath,
  form: FormData,
  onProgress: (fraction: number) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('X-Parley-Upload', '1');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onerror = () =>
      reject(
        new ApiError(0, 'network_error', 'Parley could not be reached. Check your connection and try again.'),
      );
    xhr.onload = () => {
      let payload: unknown;
      try {
        payload = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        payload = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(payload as T);
      if (xhr.status === 401) window.dispatchEvent(new Event(SESSION_EXPIRED_EVENT));
      reject(toApiError(xhr.status, payload));
    };
    xhr.send(form);
  });
}
