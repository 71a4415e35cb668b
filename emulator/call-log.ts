// Every Graph call the app made, for tests and the README's "what did the app call" question. Values of
// credentials are replaced so the log can be printed anywhere; their keys stay, so a test can still
// assert that e.g. appsecret_proof was sent.
import type { EndpointName } from './endpoints.ts';

const SECRET_KEYS = new Set([
  'access_token',
  'client_secret',
  'code',
  'appsecret_proof',
  'appsecret_time',
  'fb_exchange_token',
  'input_token',
  'verify_token',
]);
const MAX_CALLS = 10_000;

export interface CallRecord {
  id: number;
  at: number;
  method: string;
  path: string;
  version: string | null;
  endpoint: EndpointName;
  /** Where the access token came from. */
  auth: 'query' | 'body' | 'header' | 'none';
  token_type: 'USER' | 'PAGE' | 'APP' | null;
  page_id: string | null;
  query: Record<string, unknown>;
  body: Record<string, unknown>;
  status: number | null;
  fault_id: number | null;
}

export class CallLog {
  private calls: CallRecord[] = [];
  private nextId = 1;

  start(
    fields: Omit<CallRecord, 'id' | 'status' | 'fault_id' | 'token_type' | 'page_id' | 'query' | 'body'> & {
      query: unknown;
      body: unknown;
    },
  ): CallRecord {
    const record: CallRecord = {
      ...fields,
      id: this.nextId++,
      query: redact(fields.query),
      body: redact(fields.body),
      token_type: null,
      page_id: null,
      status: null,
      fault_id: null,
    };
    this.calls.push(record);
    if (this.calls.length > MAX_CALLS) this.calls.splice(0, this.calls.length - MAX_CALLS);
    return record;
  }

  list(): CallRecord[] {
    return [...this.calls];
  }

  /** Calls at or after `since` (emulator ms), optionally only those made for one Page. */
  countSince(since: number, pageId?: string): number {
    let n = 0;
    for (const c of this.calls) if (c.at >= since && (pageId === undefined || c.page_id === pageId)) n++;
    return n;
  }

  clear(): void {
    this.calls = [];
  }
}

function redact(source: unknown): Record<string, unknown> {
  if (typeof source !== 'object' || source === null || Array.isArray(source)) return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) out[key] = SECRET_KEYS.has(key) ? '[redacted]' : value;
  return out;
}
