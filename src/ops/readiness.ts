// Whether this instance wants new traffic. Shutdown flips it first, so /readyz answers 503 while the
// instance still serves: a balancer polling readyz stops routing here before connections are refused.
export class Readiness {
  private draining = false;

  get shuttingDown(): boolean {
    return this.draining;
  }

  beginShutdown(): void {
    this.draining = true;
  }
}
