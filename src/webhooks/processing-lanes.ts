// PostgreSQL: a large batch's events applied by several transactions side by side ("lanes"), each on a
// connection of its own, and the batch's deliveries then finished by one more (webhook-processor.ts).
// With one transaction, the processor thread and its one PostgreSQL backend took turns: in a drain after
// a burst the 2-core machine was 56–59 % busy, each statement a round trip during which the thread
// waited, and the server waited while the thread built the next one. With two lanes one side works while
// the other waits: about 13 % faster inline, not 2×, as the lanes also contend inside the server
// (bench/results/profile.md).
//
// The lanes share no conversation: all of a conversation's events go to one lane, in the batch's
// timestamp order, so Meta's order holds where it matters (R40) and the lanes never wait for each
// other's row locks. A lane that commits while another fails is harmless: the batch's deliveries are
// not finished, and are applied again one by one, which changes nothing already applied (inbox-ingest.ts).
import type { MessagingEvent } from './webhook-payload.ts';

export type EventsByOrg = Map<string, MessagingEvent[]>;

/** The same conversation identity as inbox-ingest.ts's: organization, channel, account, person. */
const conversationOf = (orgId: string, e: MessagingEvent) =>
  `${orgId}|${e.channel}|${e.accountId}|${e.participantId}`;

/**
 * Splits a batch's events into at most `lanes` parts, each with at least `minEvents` events (fewer lanes
 * otherwise), that share no conversation. A conversation goes to the lane with the fewest events so far
 * when it is first seen; each part keeps the events' order.
 */
export function splitIntoLanes(byOrg: EventsByOrg, lanes: number, minEvents: number): EventsByOrg[] {
  let total = 0;
  for (const events of byOrg.values()) total += events.length;
  const n = Math.max(1, Math.min(lanes, Math.floor(total / Math.max(1, minEvents))));
  if (n === 1) return [byOrg];
  const parts: EventsByOrg[] = Array.from({ length: n }, () => new Map());
  const sizes = new Array<number>(n).fill(0);
  const laneOf = new Map<string, number>();
  for (const [orgId, events] of byOrg) {
    for (const e of events) {
      const key = conversationOf(orgId, e);
      let lane = laneOf.get(key);
      if (lane === undefined) {
        lane = sizes.indexOf(Math.min(...sizes));
        laneOf.set(key, lane);
      }
      sizes[lane]!++;
      const part = parts[lane]!;
      const list = part.get(orgId);
      if (list) list.push(e);
      else part.set(orgId, [e]);
    }
  }
  return parts.filter((p) => p.size > 0);
}
