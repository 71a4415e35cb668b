// Reads a Server-Sent Events stream over fetch, as EventSource would, keeping every parsed event so a
// test can wait for the one it expects.
export interface SseEvent {
  event: string;
  data: string;
}

export class SseStream {
  readonly events: SseEvent[] = [];
  private buffer = '';
  private readonly controller = new AbortController();
  private waiters: Array<() => void> = [];
  status = 0;
  contentType = '';
  /** Set when the server ended the stream (not when this side closed it). */
  endedByServer = false;
  private ended!: () => void;
  /** Resolves when the stream is over, whichever side ended it. */
  readonly over = new Promise<void>((resolve) => {
    this.ended = resolve;
  });

  static async open(url: string, headers: Record<string, string>): Promise<SseStream> {
    const stream = new SseStream();
    const res = await fetch(url, { headers, signal: stream.controller.signal });
    stream.status = res.status;
    stream.contentType = res.headers.get('content-type') ?? '';
    if (res.ok && res.body) void stream.pump(res.body);
    else stream.ended();
    return stream;
  }

  /** Resolves with the first event (from the start of the stream) matching `match`. */
  async waitFor(match: (e: SseEvent) => boolean, timeoutMs = 5000): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `no matching SSE event within ${timeoutMs} ms; got ${JSON.stringify(this.events.map((e) => e.event))}`,
        );
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Resolves once the server said the subscription is live. */
  connected(timeoutMs = 5000): Promise<SseEvent> {
    return this.waitFor((e) => e.event === 'comment' && e.data === 'connected', timeoutMs);
  }

  close(): void {
    this.controller.abort();
  }

  private async pump(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of body) {
        this.buffer += decoder.decode(chunk, { stream: true });
        let end = this.buffer.indexOf('\n\n');
        while (end !== -1) {
          this.parse(this.buffer.slice(0, end));
          this.buffer = this.buffer.slice(end + 2);
          end = this.buffer.indexOf('\n\n');
        }
        for (const w of this.waiters.splice(0)) w();
      }
      this.endedByServer = true;
    } catch {
      // aborted
    }
    this.ended();
  }

  /** Resolves true if the stream is over within `ms`, false otherwise. */
  async endsWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    const result = await Promise.race([this.over.then(() => true as const), timeout]);
    clearTimeout(timer);
    return result;
  }

  private parse(block: string): void {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) this.events.push({ event: 'comment', data: line.slice(1).trim() });
      else if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    if (data.length > 0) this.events.push({ event, data: data.join('\n') });
  }
}

export const cookieHeader = (cookies: Map<string, string>) => ({
  cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
});
