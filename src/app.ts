// buildApp(deps): registers one plugin per resource and holds the one table that turns error classes
// into HTTP statuses and codes. It never listens; main.ts (or a test) does.
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import {
  EmailTakenError,
  ForbiddenError,
  InvalidCredentialsError,
  NotAuthenticatedError,
} from './accounts/account-errors.ts';
import { accountsRoutes } from './accounts/accounts-routes.ts';
import { AccountsService } from './accounts/accounts-service.ts';
import {
  MetaNotConfiguredError,
  NoPendingPagesError,
  NotConnectedError,
  PageAlreadyConnectedError,
  PageNotInListError,
  PageUnavailableError,
} from './connections/connection-errors.ts';
import { type ConnectionFeature, registerConnectionFeature } from './connections/connection-feature.ts';
import type { Deps } from './deps.ts';
import { CsrfRejectedError, checkCsrf, UnsupportedMediaTypeError } from './http/csrf.ts';
import { sessionLoader } from './http/request-session.ts';
import { cookiePolicy } from './http/session-cookie.ts';
import { registerWebAssets } from './http/web-assets.ts';
import {
  ConversationNotFoundError,
  InvalidCursorError,
  MessageRejectedError,
  MetaUnavailableError,
  OutsideMessagingWindowError,
  ReauthRequiredError,
} from './inbox/inbox-errors.ts';
import { type InboxFeature, registerInboxFeature } from './inbox/inbox-feature.ts';
import { healthRoutes } from './ops/health-routes.ts';
import { AppMetrics } from './ops/metrics.ts';
import { MetricsDisabledError, MetricsUnauthorizedError } from './ops/metrics-errors.ts';
import { metricsRoutes, observeWebhookAcks } from './ops/metrics-routes.ts';
import {
  InvalidWebhookSignatureError,
  WebhookStorageUnavailableError,
  WebhookVerificationError,
} from './webhooks/webhook-errors.ts';

type ErrorClass = abstract new (...args: never[]) => Error;

/** The only place where error classes become HTTP: status and a stable snake_case code. */
const errorTable: Array<[ErrorClass, number, string]> = [
  [EmailTakenError, 409, 'email_taken'],
  [InvalidCredentialsError, 401, 'invalid_credentials'],
  [NotAuthenticatedError, 401, 'unauthenticated'],
  [ForbiddenError, 403, 'forbidden'],
  [CsrfRejectedError, 403, 'csrf_rejected'],
  [UnsupportedMediaTypeError, 415, 'unsupported_media_type'],
  [NoPendingPagesError, 404, 'no_pending_pages'],
  [PageNotInListError, 422, 'page_not_in_list'],
  [PageUnavailableError, 422, 'page_unavailable'],
  [PageAlreadyConnectedError, 409, 'page_already_connected'],
  [NotConnectedError, 409, 'not_connected'],
  [MetaNotConfiguredError, 503, 'meta_not_configured'],
  [InvalidWebhookSignatureError, 401, 'invalid_signature'],
  [WebhookVerificationError, 403, 'verification_failed'],
  [WebhookStorageUnavailableError, 503, 'storage_unavailable'],
  [ConversationNotFoundError, 404, 'not_found'],
  [InvalidCursorError, 400, 'invalid_cursor'],
  [OutsideMessagingWindowError, 422, 'outside_messaging_window'],
  [ReauthRequiredError, 424, 'reauth_required'],
  [MessageRejectedError, 422, 'message_rejected'],
  [MetaUnavailableError, 502, 'meta_unavailable'],
  [MetricsUnauthorizedError, 401, 'unauthenticated'],
  [MetricsDisabledError, 404, 'not_found'],
];

/** Fastify's own errors for bad requests, by their error code. */
const fastifyCodes: Record<string, [number, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid_json'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'invalid_json'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload_too_large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'invalid_request'],
};

export const API_BODY_LIMIT = 64 * 1024;

export interface App {
  app: FastifyInstance;
  /** Feature handles tests drive directly (e.g. run due jobs now). */
  meta: ConnectionFeature;
  /** The inbox: `inbox.processor.drain()` processes stored webhook deliveries now. */
  inbox: InboxFeature;
  /** This instance's Prometheus registry (served at /metrics). */
  metrics: AppMetrics;
}

export async function buildApp(deps: Deps): Promise<FastifyInstance> {
  return (await buildAppWithFeatures(deps)).app;
}

export async function buildAppWithFeatures(deps: Deps): Promise<App> {
  const { config } = deps;
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: API_BODY_LIMIT,
    trustProxy: deps.trustProxy ?? false,
    // R42: bound how long a client may take to send headers and body.
    requestTimeout: 30_000,
    connectionTimeout: 60_000,
  });
  app.server.headersTimeout = 15_000;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // Empty bodies on JSON POSTs (logout, disconnect) are an empty object, not a parse error.
  const defaultJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text === '') return done(null, {});
    return defaultJson(request, text, done);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    for (const [cls, status, code] of errorTable) {
      if (error instanceof cls) {
        if (status === 403) request.log.warn({ code, path: request.routeOptions.url }, 'request refused');
        return reply.code(status).send({ error: { code, message: error.message } });
      }
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const first = error.validation[0];
      const where = first?.instancePath ? `${first.instancePath.slice(1).replaceAll('/', '.')}: ` : '';
      return reply.code(400).send({
        error: { code: 'invalid_request', message: `${where}${first?.message ?? 'invalid input'}` },
      });
    }
    const known = error.code ? fastifyCodes[error.code] : undefined;
    if (known) return reply.code(known[0]).send({ error: { code: known[1], message: error.message } });
    if (error.statusCode === 429) {
      return reply
        .code(429)
        .send({ error: { code: 'rate_limited', message: 'Too many attempts; try again later' } });
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(error.statusCode).send({ error: { code: 'bad_request', message: error.message } });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply
      .code(500)
      .send({ error: { code: 'internal_error', message: 'Something went wrong on our side' } });
  });

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        // Outside production the emulator serves attachment images over plain http.
        imgSrc: ["'self'", 'data:', 'https:', ...(config.production ? [] : ['http:'])],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // The OAuth callback tightens this to no-referrer for itself (R7).
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: config.publicUrl.startsWith('https://'),
  });
  await app.register(fastifyCookie, { secret: config.sessionSecret });
  await app.register(fastifyFormbody, { bodyLimit: API_BODY_LIMIT });
  await app.register(fastifyRateLimit, {
    global: false,
    ...(deps.redis ? { redis: deps.redis, nameSpace: 'parley-rl:' } : {}),
    // Keyed by address and by the account tried, once the body is parsed.
    hook: 'preHandler',
    keyGenerator: (request) => {
      const body = request.body as { email?: unknown } | undefined;
      const email = typeof body?.email === 'string' ? body.email.toLowerCase() : '';
      return `${request.ip}|${email}`;
    },
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Parley API',
        version: '1.0.0',
        description: 'Shared inbox for Messenger and Instagram',
      },
    },
    transform: jsonSchemaTransform,
  });

  const cookies = cookiePolicy(config.publicUrl);
  const accounts = new AccountsService(deps.database.db, deps.now);
  const loadSession = sessionLoader(accounts, cookies);
  const publicOrigin = new URL(config.publicUrl).origin;

  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/api/')) checkCsrf(request, publicOrigin);
  });
  app.addHook('preHandler', async (request) => {
    if (request.url.startsWith('/api/') || request.url.startsWith('/integrations/meta-messaging/oauth/')) {
      await loadSession(request);
    }
  });
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });

  await app.register(healthRoutes, {
    database: deps.database,
    cache: deps.cache,
    readiness: deps.readiness,
  });
  const metrics = new AppMetrics(deps.database, deps.now);
  observeWebhookAcks(app, metrics);
  await app.register(metricsRoutes, { metrics, token: config.metricsToken });
  await app.register(accountsRoutes, {
    accounts,
    cookies,
    loginRateLimit: deps.loginRateLimit ?? { max: 10, timeWindow: 60_000 },
  });
  const onCall = deps.graphOptions?.onCall;
  const measured: Deps = {
    ...deps,
    graphOptions: {
      ...deps.graphOptions,
      onCall: (call) => {
        metrics.graphCall(call);
        onCall?.(call);
      },
    },
  };
  const meta = await registerConnectionFeature(app, measured, cookies);
  const inbox = await registerInboxFeature(app, deps, meta.graph, metrics);

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await registerWebAssets(app, deps.distDir ?? 'dist');
  return { app, meta, inbox, metrics };
}
