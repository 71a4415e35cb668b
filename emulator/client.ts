// A typed client for the emulator's control API (/_emulator/*), for the app's tests. Like OpenAuth's
// clients it takes the base URL (and optionally fetch) as input. login() does what a person does on
// the consent page — load the dialog, pick a test user and Pages, press Continue or Cancel — and
// returns the Location the browser would be sent to.
import type {
  AccountCallbackRequest,
  AccountCallbackResponse,
  CallRecord,
  CustomerEventRequest,
  DeliveryRecord,
  FaultRequest,
  FaultView,
  HistoryRequest,
  InboundRequest,
  InboundResponse,
  InboundView,
  InstagramLinkRequest,
  PersonaRequest,
  PersonaView,
  PublishResult,
  ReadRequest,
  ResetRequest,
  RevokeRequest,
  SentView,
  StateResponse,
  UsageRequest,
} from './control-contract.ts';

export type * from './control-contract.ts';

export class EmulatorError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'EmulatorError';
  }
}

export interface LoginOptions {
  /** Press Cancel instead of Continue. */
  cancel?: boolean;
  /** Pages to leave ticked (default: all of the persona's Pages, as the dialog pre-ticks them). */
  pageIds?: string[];
  /** Permissions to untick on the consent page (not possible with config_id). */
  declineScopes?: string[];
}

type Fetch = typeof fetch;

export class EmulatorClient {
  private readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly fetchImpl: Fetch = fetch,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  reset(settings: ResetRequest = {}): Promise<StateResponse> {
    return this.request('POST', '/_emulator/reset', settings);
  }

  createPersona(persona: PersonaRequest): Promise<PersonaView> {
    return this.request('POST', '/_emulator/personas', persona);
  }

  state(): Promise<StateResponse> {
    return this.request('GET', '/_emulator/state');
  }

  /** Sends a message as a customer; resolves after the webhook's first delivery attempt. */
  inbound(message: InboundRequest): Promise<InboundResponse> {
    return this.request('POST', '/_emulator/inbound', message);
  }

  /** A customer reacts, edits, unsends, presses a button or arrives from an ad / link. */
  customerEvent(event: CustomerEventRequest): Promise<{
    channel: string;
    mid: string | null;
    timestamp: number;
    delivery: InboundResponse['delivery'];
  }> {
    return this.request('POST', '/_emulator/customer-event', event);
  }

  /** Gives a Page (or Instagram account) past conversations, without webhooks. */
  seedHistory(history: HistoryRequest): Promise<{
    channel: string;
    page_id: string;
    conversations: Array<{ customer_id: string; mids: string[]; updated_at: number }>;
  }> {
    return this.request('POST', '/_emulator/history', history);
  }

  /** The CDN stops serving a file (`/_emulator/cdn/<file>`), or every file when none is named. */
  forgetCdn(file?: string): Promise<{ forgotten: string[] }> {
    return this.request('POST', '/_emulator/cdn/forget', file ? { file } : {});
  }

  async inboundLog(filter: { page_id?: string; customer_id?: string } = {}): Promise<InboundView[]> {
    return (await this.request<{ messages: InboundView[] }>('GET', `/_emulator/inbound${qs(filter)}`))
      .messages;
  }

  revoke(target: RevokeRequest): Promise<{ revoked: number }> {
    return this.request('POST', '/_emulator/revoke', target);
  }

  /**
   * Arms a fault for the next `count` calls of an endpoint. `endpoint` also takes a plain string, for
   * tests that table-drive endpoints; the server rejects unknown names with a 400 listing the valid ones.
   */
  faults(
    fault: Omit<FaultRequest, 'endpoint'> & { endpoint: FaultRequest['endpoint'] | (string & {}) },
  ): Promise<FaultView> {
    return this.request('POST', '/_emulator/faults', fault);
  }

  async listFaults(): Promise<FaultView[]> {
    return (await this.request<{ faults: FaultView[] }>('GET', '/_emulator/faults')).faults;
  }

  clearFaults(): Promise<{ cleared: number }> {
    return this.request('DELETE', '/_emulator/faults');
  }

  async calls(filter: { endpoint?: string } = {}): Promise<CallRecord[]> {
    return (await this.request<{ calls: CallRecord[] }>('GET', `/_emulator/calls${qs(filter)}`)).calls;
  }

  async sent(filter: { page_id?: string; recipient_id?: string } = {}): Promise<SentView[]> {
    return (await this.request<{ messages: SentView[] }>('GET', `/_emulator/sent${qs(filter)}`)).messages;
  }

  async deliveries(): Promise<DeliveryRecord[]> {
    return (await this.request<{ deliveries: DeliveryRecord[] }>('GET', '/_emulator/deliveries')).deliveries;
  }

  advanceClock(ms: number): Promise<{ now: number }> {
    return this.request('POST', '/_emulator/clock', { advance_ms: ms });
  }

  read(target: ReadRequest): Promise<{ delivery: PublishResult }> {
    return this.request('POST', '/_emulator/read', target);
  }

  /** Relinks an Instagram account to another Page (it leaves its old Page). */
  linkInstagram(link: InstagramLinkRequest): Promise<{ ig_id: string; page_id: string }> {
    return this.request('POST', '/_emulator/instagram-link', link);
  }

  deauthorize(callback: AccountCallbackRequest): Promise<AccountCallbackResponse> {
    return this.request('POST', '/_emulator/deauthorize', callback);
  }

  dataDeletion(callback: AccountCallbackRequest): Promise<AccountCallbackResponse> {
    return this.request('POST', '/_emulator/data-deletion', callback);
  }

  /** Pins X-App-Usage (no page_id) or a Page's X-Business-Use-Case-Usage; `percent: null` unpins. */
  setUsage(usage: UsageRequest): Promise<unknown> {
    return this.request('POST', '/_emulator/usage', usage);
  }

  setLatency(ms: number): Promise<{ latency_ms: number }> {
    return this.request('POST', '/_emulator/latency', { ms });
  }

  async login(dialogUrl: string, persona: string, opts: LoginOptions = {}): Promise<string> {
    const page = await this.fetchImpl(dialogUrl, { redirect: 'manual' });
    const html = await page.text();
    const form = html.match(/<form method="post" action="([^"]*)">([\s\S]*?)<\/form>/);
    if (page.status !== 200 || !form) {
      const heading = html.match(/<h1>([\s\S]*?)<\/h1>/)?.[1] ?? `HTTP ${page.status}`;
      const message = html.match(/<p id="error-message">([\s\S]*?)<\/p>/)?.[1] ?? '';
      throw new EmulatorError(
        page.status,
        `login dialog refused: ${decodeEntities(heading)}: ${decodeEntities(message)}`,
      );
    }
    const [, action = '', body = ''] = form;
    const fields = new URLSearchParams();
    for (const m of body.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
      fields.append(decodeEntities(m[1] ?? ''), decodeEntities(m[2] ?? ''));
    }
    const personas = [...body.matchAll(/name="persona" value="([^"]*)"/g)].map((m) =>
      decodeEntities(m[1] ?? ''),
    );
    if (!personas.includes(persona)) {
      throw new EmulatorError(
        400,
        `no persona "${persona}" on the consent page (have: ${personas.join(', ')})`,
      );
    }
    fields.set('persona', persona);
    const offered = [...body.matchAll(/name="page_ids" value="([^"]*)" data-persona="([^"]*)"/g)]
      .filter((m) => decodeEntities(m[2] ?? '') === persona)
      .map((m) => m[1] ?? '');
    for (const id of opts.pageIds ?? offered) fields.append('page_ids', id);
    for (const m of body.matchAll(/name="granted_scopes" value="([^"]*)"/g)) {
      const scope = decodeEntities(m[1] ?? '');
      if (!opts.declineScopes?.includes(scope)) fields.append('granted_scopes', scope);
    }
    fields.set('action', opts.cancel ? 'cancel' : 'continue');
    const res = await this.fetchImpl(new URL(action, dialogUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: fields.toString(),
      redirect: 'manual',
    });
    const location = res.headers.get('location');
    if (res.status !== 302 || !location) {
      throw new EmulatorError(res.status, `consent was not accepted (HTTP ${res.status})`);
    }
    return location;
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.fetchImpl(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const json: unknown = text === '' ? null : JSON.parse(text);
    if (!res.ok) {
      const message = (json as { error?: { message?: string } } | null)?.error?.message ?? res.statusText;
      throw new EmulatorError(res.status, `${method} ${path}: ${message}`);
    }
    return json as T;
  }
}

function qs(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) search.set(k, v);
  const s = search.toString();
  return s ? `?${s}` : '';
}

function decodeEntities(value: string): string {
  return value
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
