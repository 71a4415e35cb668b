// The one request function for Meta's Graph API: timeouts, bounded jittered retries for transient
// failures only (R29), appsecret_proof on every token-bearing call (R21), and every answer narrowed
// with a schema (R30). Knows nothing about our database or routes.
//
// Tokens travel in the `Authorization` header, never in a URL (R19): Graph accepts
// `Authorization: Bearer|OAuth <token>` on every call (reference §0; logly/mureo#740 shows it with
// debug_token), and URLs end up in proxy and access logs. appsecret_proof is an HMAC of the token,
// not a secret, and stays a parameter because that is where Meta reads it (reference §11).
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHmac } from 'node:crypto';
import type { z } from 'zod';
import { classifyGraphError } from './graph-error-class.ts';
import {
  GraphApiError,
  GraphDeadlineError,
  GraphResponseError,
  GraphTransportError,
} from './graph-errors.ts';
import { parseUsage } from './usage-headers.ts';
import { UsagePauses } from './usage-pauses.ts';

/** A retry is only started when at least this much time is left for it before the deadline. */
const MIN_ATTEMPT_MS = 500;

export interface GraphClientOptions {
  graphUrl: string;
  apiVersion: string;
  appId: string;
  appSecret: string;
  fetch?: typeof fetch;
  /** Per attempt; a Graph call that has not answered by then is abandoned. */
  timeoutMs?: number;
  maxAttempts?: number;
  /** Base of the exponential backoff between attempts. */
  retryBaseMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Observes every finished call (metrics): endpoint label, outcome code, duration. */
  onCall?: (call: {
    endpoint: string;
    status: number | 'transport';
    code: number | null;
    ms: number;
  }) => void;
}

export type RetryPolicy =
  /** Retry transport failures, 5xx, and Meta's transient and rate-limit codes. */
  | 'transient'
  /** Retry only when no request reached Meta (a code exchange must never be sent twice — R29). */
  | 'connect-only';

export interface GraphRequest<S extends z.ZodType> {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path after the version, e.g. `me/accounts`, or an absolute paging.next URL on the Graph host. */
  path: string;
  params?: Record<string, string | undefined>;
  /** User, Page or app token; sent in the Authorization header, with its appsecret_proof. */
  token?: string;
  /**
   * The Page (business object) the call concerns. Meta's X-Business-Use-Case-Usage is per Page, so a
   * throttled Page only holds back calls that name it; calls without one wait only for X-App-Usage.
   */
  pageId?: string;
  /** Epoch ms by which the call, retries included, must be over (see also GraphClient.withDeadline). */
  deadline?: number;
  schema: S;
  retry?: RetryPolicy;
  /** Label for logs and metrics, e.g. `me.accounts`. */
  endpoint: string;
}

const errorEnvelope = (body: unknown) => {
  if (typeof body !== 'object' || body === null || !('error' in body)) return null;
  const e = (body as { error: unknown }).error;
  if (typeof e !== 'object' || e === null) return null;
  const r = e as Record<string, unknown>;
  return {
    code: typeof r.code === 'number' ? r.code : 0,
    subcode: typeof r.error_subcode === 'number' ? r.error_subcode : null,
    type: typeof r.type === 'string' ? r.type : null,
    fbtraceId: typeof r.fbtrace_id === 'string' ? r.fbtrace_id : null,
    message: typeof r.message === 'string' ? r.message.slice(0, 300) : 'Graph API error',
    isTransient: r.is_transient === true,
  };
};

export class GraphClient {
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly retryBaseMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  readonly base: string;
  /** Set from Meta's usage headers: calls wait (bounded) instead of hitting the limit. */
  private readonly pauses = new UsagePauses();
  /** The deadline of the work in progress (e.g. one OAuth callback), seen by every call it makes. */
  private readonly deadlines = new AsyncLocalStorage<number>();

  constructor(private readonly opts: GraphClientOptions) {
    this.fetch = opts.fetch ?? globalThis.fetch;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.maxAttempts = Math.min(opts.maxAttempts ?? 3, 3);
    this.retryBaseMs = opts.retryBaseMs ?? 250;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.base = `${opts.graphUrl}/${opts.apiVersion}`;
  }

  get appId(): string {
    return this.opts.appId;
  }

  /** The app access token, `app_id|app_secret`: server-side only, never logged. */
  get appToken(): string {
    return `${this.opts.appId}|${this.opts.appSecret}`;
  }

  appSecretProof(token: string): string {
    return createHmac('sha256', this.opts.appSecret).update(token).digest('hex');
  }

  /**
   * Runs `work` with a deadline that every Graph call inside it respects, however deep (services,
   * `Promise.all` siblings): each attempt's timeout is cut to the time left, and no retry starts that
   * would not fit. Nested deadlines keep the earlier one.
   */
  withDeadline<T>(deadline: number, work: () => Promise<T>): Promise<T> {
    const outer = this.deadlines.getStore() ?? Number.POSITIVE_INFINITY;
    return this.deadlines.run(Math.min(outer, deadline), work);
  }

  async request<S extends z.ZodType>(req: GraphRequest<S>): Promise<z.infer<S>> {
    const policy = req.retry ?? 'transient';
    const deadline = Math.min(
      req.deadline ?? Number.POSITIVE_INFINITY,
      this.deadlines.getStore() ?? Number.POSITIVE_INFINITY,
    );
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(req, deadline);
      } catch (err) {
        const retriable =
          policy === 'connect-only'
            ? err instanceof GraphTransportError && err.kind === 'connect'
            : ['transient', 'rate_limited'].includes(classifyGraphError(err));
        if (!retriable || attempt >= this.maxAttempts || err instanceof GraphDeadlineError) throw err;
        // Full jitter keeps many instances from retrying in lockstep.
        const backoff = Math.random() * this.retryBaseMs * 2 ** (attempt - 1);
        // A retry that cannot finish before the deadline only delays the answer the caller owes.
        if (Date.now() + backoff + MIN_ATTEMPT_MS > deadline) throw err;
        await this.sleep(backoff);
      }
    }
  }

  private async once<S extends z.ZodType>(req: GraphRequest<S>, deadline: number): Promise<z.infer<S>> {
    const url = this.url(req.path);
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(req.params ?? {})) if (v !== undefined) params.set(k, v);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (req.token) {
      headers.authorization = `Bearer ${req.token}`;
      params.set('appsecret_proof', this.appSecretProof(req.token));
    }
    let body: string | undefined;
    if (req.method === 'POST') {
      body = params.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else {
      for (const [k, v] of params) url.searchParams.set(k, v);
    }
    const wait = this.pauses.waitMs(req.pageId, Date.now());
    if (Date.now() + wait >= deadline) throw new GraphDeadlineError(req.endpoint);
    if (wait > 0) await this.sleep(wait);
    const timeoutMs = Math.min(this.timeoutMs, deadline - Date.now());
    if (timeoutMs <= 0) throw new GraphDeadlineError(req.endpoint);
    const started = performance.now();
    let res: Response;
    try {
      res = await this.fetch(url, {
        method: req.method,
        headers,
        body,
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
    } catch (err) {
      this.report(req.endpoint, 'transport', null, started);
      throw new GraphTransportError(transportKind(err), err);
    }
    const usage = parseUsage(res.headers);
    if (usage) this.pauses.record(usage, Date.now());
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      this.report(req.endpoint, 'transport', null, started);
      throw new GraphTransportError(transportKind(err), err);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.report(req.endpoint, res.status, null, started);
      throw new GraphResponseError(res.status, `not JSON (HTTP ${res.status})`);
    }
    const envelope = errorEnvelope(json);
    if (envelope || !res.ok) {
      this.report(req.endpoint, res.status, envelope?.code ?? null, started);
      if (!envelope) throw new GraphResponseError(res.status, `HTTP ${res.status} without an error envelope`);
      throw new GraphApiError(
        res.status,
        envelope.code,
        envelope.subcode,
        envelope.type,
        envelope.fbtraceId,
        envelope.message,
        envelope.isTransient,
      );
    }
    this.report(req.endpoint, res.status, null, started);
    const parsed = req.schema.safeParse(json);
    if (!parsed.success) {
      throw new GraphResponseError(
        res.status,
        `${req.endpoint}: ${parsed.error.issues[0]?.message ?? 'bad shape'}`,
      );
    }
    return parsed.data;
  }

  /** Relative paths go under the configured version; absolute URLs (paging.next) must stay on the Graph host. */
  private url(path: string): URL {
    if (/^https?:\/\//.test(path)) {
      const url = new URL(path);
      if (url.origin !== new URL(this.opts.graphUrl).origin) {
        throw new GraphResponseError(200, 'paging link points away from the Graph API host');
      }
      // Our own token and proof are added again; never reuse what came back in a link.
      url.searchParams.delete('access_token');
      url.searchParams.delete('appsecret_proof');
      return url;
    }
    return new URL(`${this.base}/${path.replace(/^\/+/, '')}`);
  }

  private report(endpoint: string, status: number | 'transport', code: number | null, started: number) {
    this.opts.onCall?.({ endpoint, status, code, ms: performance.now() - started });
  }
}

function transportKind(err: unknown): GraphTransportError['kind'] {
  const e = err as { name?: string; cause?: { code?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timeout';
  const code = e?.cause?.code;
  if (
    code === 'ECONNREFUSED' ||
    code === 'ENOTFOUND' ||
    code === 'EAI_AGAIN' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  ) {
    return 'connect';
  }
  return 'network';
}
