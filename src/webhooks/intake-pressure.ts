// Whether the receiver is saturated, judged between two processing transactions from how many
// deliveries it committed meanwhile (webhook-processor.ts steps back while it is). Inline, a turn is one
// short SQLite transaction on the receiver's own event loop, and a few deliveries in it already mean
// the acks queue behind processing. A processor thread's turn is a whole transaction of a few hundred
// ms, so there the receiver's rate decides: counted per turn, it stepped back already at 1,000
// deliveries/s, where the receiver has room to spare, and only the lag grew.

/** Busy inline: this many deliveries committed during one processing turn. */
const BUSY_PER_TURN = 10;

export class IntakePressure {
  private storedAtLastTurn: number;
  private lastTurnAt: number;

  /**
   * `busyPerS`: judge by rate (a processor thread); without it, by count per turn (inline).
   * `stored`/`now` (ms) as of the start.
   */
  constructor(
    private readonly busyPerS: number | undefined,
    stored: number,
    now: number,
  ) {
    this.storedAtLastTurn = stored;
    this.lastTurnAt = now;
  }

  /** Called at the end of each processing turn with the receiver's running total. */
  busy(stored: number, now: number): boolean {
    const n = stored - this.storedAtLastTurn;
    const elapsedS = (now - this.lastTurnAt) / 1000;
    this.storedAtLastTurn = stored;
    this.lastTurnAt = now;
    if (n < BUSY_PER_TURN) return false;
    return this.busyPerS === undefined || n >= this.busyPerS * elapsedS;
  }
}
