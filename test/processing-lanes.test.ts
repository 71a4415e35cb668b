// How a large batch is split into lanes applied side by side on PostgreSQL (issue 15): no conversation in
// two lanes, each conversation's events in their order (R40), the lanes of about equal size, and a small
// batch left whole.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type EventsByOrg, splitIntoLanes } from '../src/webhooks/processing-lanes.ts';
import type { MessagingEvent } from '../src/webhooks/webhook-payload.ts';

let clock = 1_000;
const event = (participantId: string, accountId = 'page-1'): MessagingEvent => ({
  kind: 'read',
  channel: 'messenger',
  accountId,
  participantId,
  timestamp: clock++,
  watermark: clock,
  mid: null,
});

/** `n` events over `people` people of each organization, interleaved as a busy Page sends them. */
function batch(orgs: string[], people: number, n: number): EventsByOrg {
  const byOrg: EventsByOrg = new Map();
  for (const org of orgs) {
    byOrg.set(
      org,
      Array.from({ length: n }, (_, i) => event(`${org}-person-${(i * 7) % people}`)),
    );
  }
  return byOrg;
}

const conversation = (org: string, e: MessagingEvent) =>
  `${org}|${e.channel}|${e.accountId}|${e.participantId}`;

describe('splitIntoLanes', () => {
  it('puts every conversation in one lane only, with its events in their order (R40)', () => {
    const whole = batch(['org-a', 'org-b'], 50, 400);
    const lanes = splitIntoLanes(whole, 2, 100);
    assert.equal(lanes.length, 2);
    const laneOf = new Map<string, number>();
    lanes.forEach((lane, i) => {
      for (const [org, events] of lane) {
        for (const e of events) {
          const c = conversation(org, e);
          assert.equal(laneOf.get(c) ?? i, i, `${c} is in one lane`);
          laneOf.set(c, i);
        }
        const times = events.map((e) => e.timestamp);
        assert.deepEqual(
          times,
          [...times].sort((x, y) => x - y),
          'in the batch order',
        );
      }
    });
    // Nothing lost or repeated: per organization, the lanes together hold the batch's events.
    for (const [org, events] of whole) {
      const together = lanes.flatMap((l) => l.get(org) ?? []).sort((x, y) => x.timestamp - y.timestamp);
      assert.deepEqual(together, events);
    }
  });

  it('the same person on two Pages is two conversations, which may go to different lanes', () => {
    const byOrg: EventsByOrg = new Map([
      ['org-a', Array.from({ length: 200 }, (_, i) => event('same-person', i % 2 ? 'page-1' : 'page-2'))],
    ]);
    const lanes = splitIntoLanes(byOrg, 2, 100);
    assert.equal(lanes.length, 2);
    assert.deepEqual(
      lanes.map((l) => new Set(l.get('org-a')!.map((e) => e.accountId)).size),
      [1, 1],
    );
  });

  it('lanes of about equal size', () => {
    const lanes = splitIntoLanes(batch(['org-a'], 200, 1000), 2, 100);
    const sizes = lanes.map((l) => [...l.values()].reduce((n, e) => n + e.length, 0));
    assert.equal(sizes[0]! + sizes[1]!, 1000);
    assert.ok(Math.abs(sizes[0]! - sizes[1]!) <= 20, `sizes ${sizes}`);
  });

  it('a batch too small for two lanes of minEvents stays whole; one conversation cannot be split', () => {
    const small = batch(['org-a'], 50, 150);
    assert.deepEqual(splitIntoLanes(small, 2, 100), [small]);
    const one = batch(['org-a'], 1, 400);
    const lanes = splitIntoLanes(one, 2, 100);
    assert.equal(lanes.length, 1, 'the empty lane is left out');
    assert.deepEqual(lanes[0], one);
    assert.equal(splitIntoLanes(batch(['org-a'], 100, 1000), 1, 100).length, 1);
  });
});
