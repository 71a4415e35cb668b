// Emulator time = the injected base clock plus whatever the control API advanced it by. Code and token
// expiry, the messaging window and event timestamps read this clock, so a test can jump a day ahead
// without sleeping. Real-time waits (latency, retry backoff, automatic receipts) deliberately do not.
export class Clock {
  private offset = 0;

  constructor(private readonly base: () => number) {}

  now(): number {
    return this.base() + this.offset;
  }

  advance(ms: number): number {
    this.offset += ms;
    return this.now();
  }

  reset(): void {
    this.offset = 0;
  }
}
