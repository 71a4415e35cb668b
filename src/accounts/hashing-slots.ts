// At most a few password hashes run at once. scrypt runs on libuv's thread pool (4 threads by default),
// which DNS lookups and file I/O share: unbounded logins would take every thread and stall Meta calls
// and webhook intake behind them. Beyond the slots, a short queue waits; when it is full, or a wait
// runs too long, the request is refused with HashingBusyError (503 + Retry-After) instead of piling up.
export class HashingBusyError extends Error {
  readonly retryAfterSeconds = 2;
  constructor() {
    super('The server is busy; try again in a moment');
    this.name = 'HashingBusyError';
  }
}

export interface SlotLimits {
  /** Hashes running at once. */
  concurrent: number;
  /** Requests waiting for a slot. */
  queued: number;
  /** Longest wait for a slot before refusing. */
  maxWaitMs: number;
}

export const DEFAULT_SLOT_LIMITS: SlotLimits = { concurrent: 2, queued: 16, maxWaitMs: 3_000 };

export class HashingSlots {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limits: SlotLimits = DEFAULT_SLOT_LIMITS) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.active < this.limits.concurrent) {
      this.active++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.limits.queued) return Promise.reject(new HashingBusyError());
    return new Promise<void>((resolve, reject) => {
      const grant = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        const at = this.waiting.indexOf(grant);
        if (at !== -1) this.waiting.splice(at, 1);
        reject(new HashingBusyError());
      }, this.limits.maxWaitMs);
      this.waiting.push(grant);
    });
  }

  /** Hands the slot straight to the next waiter, so `active` never dips and lets a newcomer jump in. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}
