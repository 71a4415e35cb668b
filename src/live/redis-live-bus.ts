// Live updates across instances: an event is PUBLISHed on the organization's Redis channel, and every
// instance with an open stream for that organization SUBSCRIBEs to it on a dedicated connection (a
// subscribed Redis connection can run nothing else). Local listeners hear events only through Redis, so
// each event reaches each stream once; if Redis refuses the PUBLISH, local streams still get it.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { LiveEvent } from '../contract.ts';
import { type LiveBus, type LiveListener, LocalListeners } from './live-bus.ts';

const PREFIX = 'parley:live:';
const envelope = z.object({ type: z.string() }).loose();

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
      if (!envelope.safeParse(parsed).success) return;
      // Our own publisher wrote it; the shape is LiveEvent by construction.
      this.listeners.emit(channel.slice(PREFIX.length), parsed as LiveEvent);
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

  async subscribe(orgId: string, listener: LiveListener): Promise<() => void> {
    const channel = PREFIX + orgId;
    const handle = this.listeners.add(orgId, listener);
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
