// GET /api/events: Server-Sent Events for the caller's organization. Each LiveEvent is one SSE message
// (`event:` its type, `data:` its JSON). A comment line every 15 s keeps proxies from closing an idle
// stream. A stream ends after STREAM_MAX_MS so the browser reconnects and its session is checked again
// (a removed member stops hearing events within that time); the client refetches after a reconnect.
// A stream also ends at once when its session or user is ended through the bus (session-ends.ts), after
// a last `session.ended` message (not a LiveEvent: nothing happened in the organization) that tells the
// web app to ask /api/auth/me right away instead of after the reconnect delay; and
// one session keeps at most MAX_STREAMS_PER_SESSION streams on an instance: a new one ends the oldest,
// so a new tab always works while a script opening streams in a loop holds only a few.
// A member's own presence events are not sent to their streams (they know what they are doing), and when a
// session's last stream on this instance closes, `onSessionStreamsClosed` hears of it (presence: `left`,
// unless the session opens a stream again soon: `onStreamOpened`, as after the periodic reconnect).
import type { FastifyPluginAsync } from 'fastify';
import type { LiveEvent } from '../contract.ts';
import { requireSession } from '../http/request-session.ts';
import type { LiveBus, StreamsOf } from './live-bus.ts';

export interface EventsRoutesOptions {
  bus: LiveBus;
  heartbeatMs?: number;
  maxStreamMs?: number;
  maxStreamsPerSession?: number;
  onSessionStreamsClosed?: (closed: { orgId: string; sessionIdHash: string }) => void;
  onStreamOpened?: (opened: { orgId: string; sessionIdHash: string }) => void;
}

const STREAM_MAX_MS = 10 * 60_000;
const MAX_STREAMS_PER_SESSION = 5;
export const SESSION_ENDED_MESSAGE = 'event: session.ended\ndata: {"type":"session.ended"}\n\n';

export const eventsRoutes: FastifyPluginAsync<EventsRoutesOptions> = async (app, opts) => {
  const open = new Set<() => void>();
  /** This instance's streams per session, oldest first. */
  const bySession = new Map<string, Array<() => void>>();
  const maxPerSession = opts.maxStreamsPerSession ?? MAX_STREAMS_PER_SESSION;
  // Open streams would hold app.close() forever; end them first.
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });

  app.get('/api/events', { schema: { hide: true } }, async (request, reply) => {
    const session = requireSession(request);
    const orgId = session.organization.id;
    const sessionKey = session.sessionIdHash;
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
    });
    const send = (event: LiveEvent) => {
      if (event.type === 'presence' && event.user.id === session.user.id) return;
      // A mention, and its reading, are news for that member only (their other tabs and instances
      // included): every event with a recipient goes to that recipient's streams alone.
      if ('recipient_id' in event && event.recipient_id !== session.user.id) return;
      res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    };
    let ended = false;
    let unsubscribe: (() => void) | null = null;
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), opts.heartbeatMs ?? 15_000);
    const lifetime = setTimeout(() => end(), opts.maxStreamMs ?? STREAM_MAX_MS);
    const end = () => {
      if (ended) return;
      ended = true;
      clearInterval(heartbeat);
      clearTimeout(lifetime);
      unsubscribe?.();
      open.delete(end);
      const streams = bySession.get(sessionKey) ?? [];
      const at = streams.indexOf(end);
      if (at !== -1) streams.splice(at, 1);
      if (streams.length === 0) {
        bySession.delete(sessionKey);
        opts.onSessionStreamsClosed?.({ orgId, sessionIdHash: sessionKey });
      }
      res.end();
    };
    open.add(end);
    const siblings = bySession.get(sessionKey) ?? [];
    bySession.set(sessionKey, siblings);
    siblings.push(end);
    while (siblings.length > maxPerSession) siblings[0]!();
    res.on('close', end);
    const endIfMine = (who: StreamsOf) => {
      if ('sessionIdHash' in who ? who.sessionIdHash === sessionKey : who.userId === session.user.id) {
        if (!ended) res.write(SESSION_ENDED_MESSAGE);
        end();
      }
    };
    unsubscribe = await opts.bus.subscribe(orgId, send, endIfMine);
    if (ended) {
      unsubscribe();
      return;
    }
    // Sent once the subscription is live: a client that sees it will not miss later events.
    res.write('retry: 3000\n: connected\n\n');
    opts.onStreamOpened?.({ orgId, sessionIdHash: sessionKey });
  });
};
