// The soak's traffic: `events` unique message events for one organization's Page and its Instagram
// account, in Meta's shapes (test/support/webhook-payloads.ts). Most deliveries carry one event; about
// one in five is a batch of 2–20, as Meta batches under load. About two in five are Instagram's. Sizes and
// channels come from a fixed-seed generator, so two runs send the same shape (mids are random).
import type { Delivery } from '../test/support/meta-sender.ts';
import { metaEscapedJson } from '../test/support/webhook-client.ts';
import { inbound, instagramBody, mid, pageBody, psid } from '../test/support/webhook-payloads.ts';

export function soakDeliveries(
  account: { pageId: string; igId: string },
  events: number,
  firstId = 0,
): Delivery[] {
  const customers = { page: Array.from({ length: 200 }, psid), ig: Array.from({ length: 200 }, psid) };
  const out: Delivery[] = [];
  const t0 = Date.now();
  let seed = 20_261_204;
  const next = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed % n;
  };
  let n = 0;
  while (n < events) {
    const size = Math.min(next(5) === 0 ? 2 + next(19) : 1, events - n);
    const instagram = next(5) < 2;
    const accountId = instagram ? account.igId : account.pageId;
    const pool = instagram ? customers.ig : customers.page;
    const items = Array.from({ length: size }, (_, i) =>
      inbound(accountId, pool[next(pool.length)]!, {
        mid: mid(),
        text: `soak ${n + i}`,
        timestamp: t0 + n + i,
      }),
    );
    const body = instagram ? instagramBody(accountId, items) : pageBody(accountId, items);
    out.push({
      id: firstId + out.length,
      body: metaEscapedJson(body),
      mids: items.map((it) => (it.message as { mid: string }).mid),
    });
    n += size;
  }
  return out;
}

export interface Send {
  delivery: number;
  copy: number;
}

/**
 * Every delivery `copies` times, interleaved as Meta's redeliveries arrive: the second copy a few dozen
 * sends later (often while the first is still in flight, so the two race), the third a few thousand
 * later (often after the first was processed). Then `canaries` more deliveries (ids after the others),
 * each sent once, spread evenly among them: a false 2xx for a canary cannot be covered by a later
 * copy that was stored, as it can for the rest.
 */
export function sendOrder(deliveries: number, copies: number, canaries = 0): Send[] {
  const keyed: Array<{ key: number; send: Send }> = [];
  for (let j = 0; j < canaries; j++) {
    keyed.push({
      key: ((j + 0.5) * deliveries) / canaries + 0.01,
      send: { delivery: deliveries + j, copy: 0 },
    });
  }
  for (let d = 0; d < deliveries; d++) {
    for (let c = 0; c < copies; c++) {
      const later = c === 0 ? 0 : c === 1 ? 20 + (d % 40) : 1_500 * (c - 1) + (d % 2_000);
      keyed.push({ key: d + later + c / (copies + 1), send: { delivery: d, copy: c } });
    }
  }
  return keyed.sort((a, b) => a.key - b.key).map((k) => k.send);
}
