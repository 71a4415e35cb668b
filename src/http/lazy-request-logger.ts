// A request logger made only when the request logs something (issue 15). Fastify gives every request a
// child of the app's logger; pino's `child` serialises and redacts the bindings, and a route's own
// level (the webhook route logs at warn) rebuilds the child's log methods. At the receiver's maximum
// that was 4.6 % of the main thread (bench/results/profile.md), for a logger the webhook route uses only
// when a delivery is refused or cannot be stored. Here a method below the level does nothing, as pino's
// would, and the first line at or above it makes the real child, with the same bindings, level and
// redaction, which then logs that line and every later one.
import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions } from 'pino';

type Method = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** pino's standard levels (its `levels` getter builds a new table on every read). */
const LEVEL_VALUES: Record<string, number> & Record<Method, number> = {
  fatal: 60,
  error: 50,
  warn: 40,
  info: 30,
  debug: 20,
  trace: 10,
  silent: Number.POSITIVE_INFINITY,
};

/**
 * A class, not an object literal of closures: Fastify makes one per request, and an object with accessors
 * and eight closures cost more to make (1.2 µs) than the time it was to save. Never reads the parent's
 * `level` when it has its own: pino computes it through its `levels` table, rebuilt on every read.
 */
class LazyRequestLogger {
  private made: FastifyBaseLogger | null = null;
  private readonly threshold: number;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly opts: ChildLoggerOptions,
  ) {
    // A level this table does not name (a custom one) leaves every line to the real child.
    this.threshold =
      opts.level === undefined
        ? ((parent as { levelVal?: number }).levelVal ?? 0)
        : (LEVEL_VALUES[opts.level] ?? 0);
  }

  get level(): string {
    return this.made ? this.made.level : (this.opts.level ?? this.parent.level);
  }

  set level(value: string) {
    this.real().level = value;
  }

  fatal(...args: unknown[]) {
    this.log('fatal', args);
  }
  error(...args: unknown[]) {
    this.log('error', args);
  }
  warn(...args: unknown[]) {
    this.log('warn', args);
  }
  info(...args: unknown[]) {
    this.log('info', args);
  }
  debug(...args: unknown[]) {
    this.log('debug', args);
  }
  trace(...args: unknown[]) {
    this.log('trace', args);
  }
  silent() {}

  child(bindings: Bindings, opts?: ChildLoggerOptions): FastifyBaseLogger {
    return this.real().child(bindings, opts);
  }

  private log(m: Method, args: unknown[]): void {
    // Once made, the child decides (its level may have been changed since).
    if (this.made || LEVEL_VALUES[m] >= this.threshold)
      (this.real()[m] as (...a: unknown[]) => void)(...args);
  }

  private real(): FastifyBaseLogger {
    this.made ??= this.parent.child(this.bindings, this.opts);
    return this.made;
  }
}

/** Fastify's `childLoggerFactory` for a busy route. */
export function lazyChildLogger(
  parent: FastifyBaseLogger,
  bindings: Bindings,
  opts: ChildLoggerOptions,
): FastifyBaseLogger {
  return new LazyRequestLogger(parent, bindings, opts) as unknown as FastifyBaseLogger;
}
