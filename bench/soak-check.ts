// The soak's verdict, as a pure function of what the sender saw and what the database holds, so the
// checker itself can be tested (test/soak-check.test.ts). An event is a message id (mid). "Acked" means
// at least one POST of a delivery carrying it was answered 2xx. After processing has drained:
// - lost: an acked event with no stored message (the receiver promised it and dropped it);
// - false 2xx: each 2xx answer for a delivery of which any event is missing (one delivery sent three
//   times and answered 2xx three times counts three);
// - duplicated: a mid stored as more than one message (a unique index may make this trivially 0; it is
//   counted from the rows, not assumed);
// - unexpected: a stored mid the soak never sent (a stale database or a cross-run leak);
// - never acked: an event no POST got a 2xx for, even after retries (not a loss: Meta would go on
//   retrying), reported beside the rest.
export interface LedgerEntry {
  mids: readonly string[];
  /** 2xx answers received for this delivery, over all its copies and retries. */
  acks: number;
}

export interface SoakVerdict {
  events: number;
  ackedEvents: number;
  neverAcked: number;
  storedEvents: number;
  lost: number;
  duplicated: number;
  unexpected: number;
  false2xx: number;
}

/** `stored`: every stored message's mid with how many rows carry it (GROUP BY mid). */
export function checkSoak(ledger: Iterable<LedgerEntry>, stored: ReadonlyMap<string, number>): SoakVerdict {
  const sent = new Set<string>();
  const acked = new Set<string>();
  let false2xx = 0;
  for (const d of ledger) {
    let missing = false;
    for (const mid of d.mids) {
      sent.add(mid);
      if (d.acks > 0) acked.add(mid);
      if (!((stored.get(mid) ?? 0) > 0)) missing = true;
    }
    if (missing) false2xx += d.acks;
  }
  let lost = 0;
  for (const mid of acked) if (!((stored.get(mid) ?? 0) > 0)) lost++;
  let storedEvents = 0;
  let duplicated = 0;
  let unexpected = 0;
  for (const [mid, n] of stored) {
    if (n > 1) duplicated++;
    if (sent.has(mid)) storedEvents += n > 0 ? 1 : 0;
    else unexpected++;
  }
  return {
    events: sent.size,
    ackedEvents: acked.size,
    neverAcked: sent.size - acked.size,
    storedEvents,
    lost,
    duplicated,
    unexpected,
    false2xx,
  };
}
