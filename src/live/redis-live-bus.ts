// Live updates across instances: an event is PUBLISHed on the organization's Redis channel, and every
// instance with an open stream for that organization SUBSCRIBEs to it on a dedicated connection (a
// subscribed Redis connection can run nothing else). Local listeners hear events only through Redis, so
// each event reaches each stream once; if Redis refuses the PUBLISH, local streams still get it. Orders to
// end streams travel on the same channel as `{"$end": {sessionIdHash} | {userId}}`, which no LiveEvent
// looks like (events have a `type`).
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { LiveEvent } from '../contract.ts';
import {
  type EndListener,
  type LiveBus,
  type LiveListener,
  LocalListeners,
  type StreamsOf,
} from './live-bus.ts';

const PREFIX = 'parley:live:';
const envelope = z.object({ type: z.string() }).loose();
const endOrder = z.object({
  $end: z.union([z.object({ sessionIdHash: z.string() }), z.object({ userId: z.string() })]),
});

export class RedisLiveBus implements LiveBus {
  private readonly listeners = new LocalListeners();
  private readonly subscriber: Redis;
  /** SUBSCRIBE commands in flight, so a second stream of the same organization waits for the first. */
  private readonly subscribing = new Map<string, Promise<void>>();

  constructor(
    private readonly publisher: Redis,
    private readonly logger: Logger,
  ) {
    this.subscriber = publisher.duplicate();
    this.subscriber.on('error', (err) =>
      logger.warn({ err: { message: err.message } }, 'live bus redis error'),
    );
    this.subscriber.on('message', (channel: string, message: string) => {
      if (!channel.startsWith(PREFIX)) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(message);
      } catch {
        return;
      }
      const orgId = channel.slice(PREFIX.length);
      const end = endOrder.safeParse(parsed);
      if (end.success) return this.listeners.emitEnd(orgId, end.data.$end);
      if (!envelope.safeParse(parsed).success) return;
      // Our own publisher wrote it; the shape is LiveEvent by construction.
      this.listeners.emit(orgId, parsed as LiveEvent);
    });
  }

  async publish(orgId: string, event: LiveEvent): Promise<void> {
    try {
      await this.publisher.publish(PREFIX + orgId, JSON.stringify(event));
    } catch (err) {
      this.logger.warn(
        { orgId, err: { message: (err as Error).message } },
        'live event not published to redis',
      );
      this.listeners.emit(orgId, event);
    }
  }

  async endStreams(orgId: string, who: StreamsOf): Promise<void> {
    try {
      await this.publisher.publish(PREFIX + orgId, JSON.stringify({ $end: who }));
    } catch (err) {
      // Other instances' streams then end at their next reconnect (STREAM_MAX_MS), when the session is
      // checked again; this instance's end now.
      this.logger.warn({ orgId, err: { message: (err as Error).message } }, 'stream end not published');
      this.listeners.emitEnd(orgId, who);
    }
  }

  async subscribe(orgId: string, listener: LiveListener, onEnd?: EndListener): Promise<() => void> {
    const channel = PREFIX + orgId;
    const handle = this.listeners.add(orgId, listener, onEnd);
    if (handle.first) {
      const pending = this.subscriber.subscribe(channel).then(() => undefined);
      this.subscribing.set(orgId, pending);
      pending
        .catch((err: Error) =>
          this.logger.warn({ orgId, err: { message: err.message } }, 'live subscription failed'),
        )
        .finally(() => {
          if (this.subscribing.get(orgId) === pending) this.subscribing.delete(orgId);
        });
    }
    await (this.subscribing.get(orgId) ?? Promise.resolve()).catch(() => undefined);
    return () => {
      if (handle.remove().last) this.subscriber.unsubscribe(channel).catch(() => {});
    };
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.subscriber.quit().catch(() => this.subscriber.disconnect());
  }
}
