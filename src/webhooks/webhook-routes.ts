// /integrations/meta-messaging/webhook (CONTRACT §5). An encapsulated plugin with its own body parser:
// application/json arrives as the raw Buffer (the signature covers those exact bytes — R34) with a
// 4 MiB limit, far above a 1000-event batch yet bounded (R42; 413 above it). The POST checks the
// signature before anything else, stores the body durably, and only then answers 200 (R38).
import type { FastifyPluginAsync } from 'fastify';
import { lazyChildLogger } from '../http/lazy-request-logger.ts';
import { safeEqualText, verifyHubSignature } from '../meta/webhook-signature.ts';
import type { DeliveryInbox } from './delivery-inbox.ts';
import {
  InvalidWebhookSignatureError,
  WebhookStorageUnavailableError,
  WebhookVerificationError,
} from './webhook-errors.ts';

export const WEBHOOK_PATH = '/integrations/meta-messaging/webhook';
export const WEBHOOK_BODY_LIMIT = 4 * 1024 * 1024;

export interface WebhookRoutesOptions {
  appSecret: string;
  verifyToken: string;
  inbox: DeliveryInbox;
  /** Called after a delivery is committed, to start processing it. */
  onStored: () => void;
}

/** Meta's challenge is an integer; echoing only digits keeps the endpoint from reflecting content (R37). */
const CHALLENGE = /^\d{1,64}$/;

export const webhookRoutes: FastifyPluginAsync<WebhookRoutesOptions> = async (app, opts) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT },
    (_req, body, done) => done(null, body),
  );

  app.get(WEBHOOK_PATH, { schema: { hide: true } }, async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    const mode = q['hub.mode'];
    const token = q['hub.verify_token'];
    const challenge = q['hub.challenge'];
    const ok =
      mode === 'subscribe' &&
      typeof token === 'string' &&
      safeEqualText(token, opts.verifyToken) &&
      typeof challenge === 'string' &&
      CHALLENGE.test(challenge);
    if (!ok) {
      request.log.warn(
        { mode: typeof mode === 'string' ? mode.slice(0, 20) : null },
        'webhook verification refused',
      );
      throw new WebhookVerificationError();
    }
    return reply.code(200).type('text/plain; charset=utf-8').send(challenge);
  });

  app.post(
    WEBHOOK_PATH,
    {
      bodyLimit: WEBHOOK_BODY_LIMIT,
      schema: { hide: true },
      // Meta sends thousands of these a second at peak: two info lines each ("incoming request",
      // "request completed") were a third of the receiver's CPU. /metrics counts them by outcome with
      // their latency instead; refusals and storage failures still log at warn and above.
      logLevel: 'warn',
      // Its request logger is made only when it logs (refusals and failures): http/lazy-request-logger.ts.
      childLoggerFactory: lazyChildLogger,
      // The answer goes to Meta's servers, not a browser: no security headers to compute for it.
      helmet: false,
    },
    async (request, reply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const verdict = verifyHubSignature(opts.appSecret, raw, request.raw.rawHeaders);
      if (verdict !== 'valid') {
        // A security event (R51): logged with its kind, never with the header or the body (R50).
        request.log.warn({ verdict, bytes: raw.length }, 'webhook signature rejected');
        throw new InvalidWebhookSignatureError();
      }
      let deliveryId: string;
      try {
        deliveryId = await opts.inbox.append(raw);
      } catch (err) {
        request.log.error({ err: { message: (err as Error).message } }, 'webhook delivery not stored');
        throw new WebhookStorageUnavailableError(err);
      }
      request.log.debug({ deliveryId, bytes: raw.length }, 'webhook delivery stored');
      opts.onStored();
      return reply.code(200).type('text/plain; charset=utf-8').send('EVENT_RECEIVED');
    },
  );
};
