// Signed Messenger deliveries shaped like Meta's (test/support/webhook-payloads.ts), made before a run so
// the load generator spends its time sending, not building: every event has a unique mid, customers come
// from a fixed pool per Page (so conversations are reused, as in real traffic), and a batch spreads its
// events over the Pages in several entries, as Meta batches.
import { hubSignature, metaEscapedJson } from '../test/support/webhook-client.ts';
import { inbound, mid, psid } from '../test/support/webhook-payloads.ts';

export interface SignedBody {
  body: Buffer;
  signature: string;
}

export class WebhookBodies {
  private readonly customers: string[][];

  constructor(
    private readonly appSecret: string,
    private readonly pageIds: string[],
    customersPerPage = 200,
  ) {
    this.customers = pageIds.map(() => Array.from({ length: customersPerPage }, psid));
  }

  /** `count` deliveries of `eventsPerBody` events each. */
  make(count: number, eventsPerBody: number): SignedBody[] {
    const out: SignedBody[] = [];
    for (let i = 0; i < count; i++) out.push(this.sign(this.body(eventsPerBody)));
    return out;
  }

  /** A pool that hands bodies out in order and starts over when used up (a repeat is a redelivery). */
  pool(count: number, eventsPerBody: number): () => SignedBody {
    const bodies = this.make(count, eventsPerBody);
    let i = 0;
    return () => bodies[i++ % bodies.length]!;
  }

  private body(events: number) {
    const now = Date.now();
    const entries = Math.min(events, this.pageIds.length);
    const entry = [];
    for (let e = 0; e < entries; e++) {
      const p = Math.floor(Math.random() * this.pageIds.length);
      const pageId = this.pageIds[p]!;
      const n = Math.floor(events / entries) + (e < events % entries ? 1 : 0);
      const messaging = [];
      for (let k = 0; k < n; k++) {
        const customers = this.customers[p]!;
        const customer = customers[Math.floor(Math.random() * customers.length)]!;
        messaging.push(
          inbound(pageId, customer, { mid: mid(), text: `Hello from a customer, ${k}`, timestamp: now }),
        );
      }
      entry.push({ id: pageId, time: now, messaging });
    }
    return { object: 'page', entry };
  }

  private sign(value: unknown): SignedBody {
    const body = Buffer.from(metaEscapedJson(value), 'utf8');
    return { body, signature: hubSignature(this.appSecret, body) };
  }
}
