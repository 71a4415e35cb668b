// Real-time timers the emulator owns (webhook retries, automatic delivery/read receipts). Keeping them in
// one place lets reset and close cancel every pending one, so a test never receives a stray webhook
// from the previous test's world.
export class Scheduler {
  private readonly timers = new Set<NodeJS.Timeout>();

  after(ms: number, task: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      task();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  cancelAll(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
