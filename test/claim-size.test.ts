// How many deliveries the webhook processor claims at a time (issue 15): about one transaction's events,
// so a backlog of single-event deliveries fills each transaction, and a backlog of batched ones does not
// bring a hundred transactions' bodies into memory at once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextClaimSize, type ReadDelivery } from '../src/webhooks/delivery-batch.ts';

const deliveries = (n: number, events: number) =>
  Array.from({ length: n }, () => ({ events }) as ReadDelivery);

describe('nextClaimSize', () => {
  it('single-event deliveries: the whole batch size', () => {
    assert.equal(nextClaimSize(deliveries(1000, 1), 1000, 1000), 1000);
  });
  it('100-event deliveries: one transaction of them', () => {
    assert.equal(nextClaimSize(deliveries(1000, 100), 1000, 1000), 10);
    assert.equal(nextClaimSize(deliveries(10, 100), 1000, 1000), 10);
  });
  it('back to the batch size once small deliveries return; never below one', () => {
    assert.equal(nextClaimSize(deliveries(10, 1), 1000, 1000), 1000);
    assert.equal(nextClaimSize(deliveries(1, 5000), 1000, 1000), 1);
  });
  it('an unreadable body (no events) counts as one', () => {
    assert.equal(nextClaimSize(deliveries(4, 0), 2, 10), 2);
  });
});
