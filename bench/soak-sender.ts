// The soak's Meta: `concurrency` sends in flight (a closed loop — the receiver is pushed as hard as it
// answers), each send POSTed until answered 2xx, as Meta retries a delivery that failed (a 5xx, a refused
// or cut connection, a timeout), with the same bytes. A send still unanswered at `giveUpAt` stops; its
// events count as never acknowledged. The ledger is what checkSoak (soak-check.ts) reads.
import http from 'node:http';
import { type Delivery, postSigned } from '../test/support/meta-sender.ts';
import type { LedgerEntry } from './soak-check.ts';
import type { Send } from './soak-deliveries.ts';

const RETRY_DELAYS_MS = [50, 100, 250, 500, 1_000];

export class SoakSender {
  /** Sends finished (acknowledged or given up). */
  finished = 0;
  posts = 0;
  retries = 0;
  readonly statuses = new Map<number, number>();
  private readonly acks: Uint32Array;
  private readonly agent: http.Agent;

  constructor(
    private readonly o: {
      url: string;
      secret: string;
      deliveries: Delivery[];
      concurrency: number;
      timeoutMs: number;
    },
  ) {
    this.acks = new Uint32Array(o.deliveries.length);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency });
  }

  async run(order: Send[], giveUpAt: number): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < order.length) {
        const send = order[next++]!;
        await this.deliver(this.o.deliveries[send.delivery]!, giveUpAt);
        this.finished++;
      }
    };
    await Promise.all(Array.from({ length: this.o.concurrency }, worker));
  }

  ledger(): LedgerEntry[] {
    return this.o.deliveries.map((d, i) => ({ mids: d.mids, acks: this.acks[i]! }));
  }

  close(): void {
    this.agent.destroy();
  }

  private async deliver(d: Delivery, giveUpAt: number): Promise<void> {
    for (let attempt = 0; Date.now() < giveUpAt; attempt++) {
      if (attempt > 0) this.retries++;
      this.posts++;
      const status = await postSigned({ ...this.o, body: d.body, agent: this.agent });
      this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
      if (status >= 200 && status < 300) {
        this.acks[d.id] = this.acks[d.id]! + 1;
        return;
      }
      const delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)]!;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
