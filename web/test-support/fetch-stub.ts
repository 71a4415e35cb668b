// Tests stand in for the server at the `fetch` boundary only, answering with real Response objects,
// so everything from the fetch wrapper up (headers, JSON, error parsing, hooks, routing) runs for real.
import { vi } from 'vitest';

export type RecordedRequest = {
  method: string;
  path: string;
  headers: Headers;
  credentials: RequestCredentials | undefined;
  body: unknown;
};

type Handler = (request: RecordedRequest) => Response | Promise<Response>;

/** `'GET /api/auth/me'` → handler. A request with no handler answers 501 and fails the test afterwards. */
export type Routes = Record<string, Handler>;

export function json(status: number, body?: unknown): Response {
  if (body === undefined) return new Response(null, { status });
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

export function apiError(status: number, code: string, message = code): Response {
  return json(status, { error: { code, message } });
}

const unstubbed: string[] = [];

/**
 * Reads that side panels make on screens whose tests are about something else (the Meta card's history
 * import, the composer's settings and saved replies, the inbox's view counts): answered with "nothing to show" unless a test stubs them itself.
 */
const quietDefaults: Routes = {
  'GET /api/integrations/meta/history': () => json(200, { imports: [] }),
  'GET /api/inbox/settings': () => json(200, { human_agent: false }),
  'GET /api/conversations/counts': () => json(200, { mine: 0, unassigned: 0 }),
  'GET /api/saved-replies': () => json(200, { saved_replies: [] }),
  'GET /api/inbox/unread': () => json(200, { conversations: 0, mentions: 0 }),
  'GET /api/mentions': () => json(200, { mentions: [], unread_count: 0 }),
};

export function stubApi(given: Routes): {
  requests: RecordedRequest[];
  find: (route: string) => RecordedRequest[];
} {
  const routes: Routes = { ...quietDefaults, ...given };
  const requests: RecordedRequest[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const request: RecordedRequest = {
        method: init.method ?? 'GET',
        path: String(input),
        headers: new Headers(init.headers),
        credentials: init.credentials,
        body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      };
      requests.push(request);
      const route = `${request.method} ${request.path}`;
      const handler = routes[route];
      if (handler) return handler(request);
      unstubbed.push(route);
      return apiError(501, 'unstubbed_request', `No stub for ${route}`);
    }),
  );
  return {
    requests,
    find: (route) => requests.filter((request) => `${request.method} ${request.path}` === route),
  };
}

/** Throws (failing the test in afterEach) if the app called an endpoint the test didn't expect. */
export function assertNoUnstubbedRequests(): void {
  const seen = unstubbed.splice(0);
  if (seen.length > 0) throw new Error(`Unexpected API requests: ${seen.join(', ')}`);
}

/**
 * A response the test releases when it wants, to observe loading and busy states. Every request it
 * answers gets its own copy (a body can be read once), e.g. the Meta card's and the health banner's reads.
 */
export function deferredResponse(): { handler: Handler; resolve: (response: Response) => void } {
  let resolve: (response: Response) => void = () => {};
  const promise = new Promise<Response>((settle) => {
    resolve = settle;
  });
  return {
    handler: () => promise.then((response) => response.clone()),
    resolve: (response) => resolve(response),
  };
}
