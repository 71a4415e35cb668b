// buildApp(deps): registers one plugin per resource and holds the one table that turns error classes
// into HTTP statuses and codes. It never listens; main.ts (or a test) does. Past 300 lines because
// STYLE.md keeps the error → HTTP table here, in one place; the wiring below is one call per feature.
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import {
  AlreadyMemberError,
  ChallengeExpiredError,
  EmailTakenError,
  ForbiddenError,
  InvalidCodeError,
  InvalidCredentialsError,
  InvitationNotFoundError,
  LastOwnerError,
  MemberNotFoundError,
  NotAuthenticatedError,
  ResetLinkInvalidError,
  SessionNotFoundError,
  TwoFactorRequiredError,
  TwoFactorStateError,
  WeakPasswordError,
} from './accounts/account-errors.ts';
import { AccountSessionsService } from './accounts/account-sessions-service.ts';
import { accountsRoutes } from './accounts/accounts-routes.ts';
import { AccountsService } from './accounts/accounts-service.ts';
import { CredentialAttempts, DEFAULT_ATTEMPT_LIMITS } from './accounts/credential-attempts.ts';
import { HashingBusyError } from './accounts/hashing-slots.ts';
import { InvitationsService } from './accounts/invitations-service.ts';
import { LoginChallenges } from './accounts/login-challenges.ts';
import { MembersService } from './accounts/members-service.ts';
import { PasswordHasher } from './accounts/password-hash.ts';
import { MailNotConfiguredError, PasswordsService } from './accounts/passwords-service.ts';
import { teamRoutes } from './accounts/team-routes.ts';
import { TwoFactorService } from './accounts/two-factor-service.ts';
import {
  MetaNotConfiguredError,
  MetaRefusedError,
  MetaUnreachableError,
  NoPendingPagesError,
  NotConnectedError,
  PageAlreadyConnectedError,
  PageNotInListError,
  PageTokenUnavailableError,
  PageUnavailableError,
} from './connections/connection-errors.ts';
import { type ConnectionFeature, registerConnectionFeature } from './connections/connection-feature.ts';
import type { Deps } from './deps.ts';
import { registerHistoryFeature } from './history/history-feature.ts';
import type { HistoryService } from './history/history-service.ts';
import { CsrfRejectedError, UnsupportedMediaTypeError } from './http/csrf.ts';
import { RateLimitedError } from './http/rate-limit.ts';
import { sessionLoader } from './http/request-session.ts';
import { registerRouteHooks } from './http/route-hooks.ts';
import { cookiePolicy } from './http/session-cookie.ts';
import { fastifyTrustProxy } from './http/trust-proxy.ts';
import { registerWebAssets } from './http/web-assets.ts';
import { FileTooLargeError, UnsupportedAttachmentTypeError } from './inbox/attachment-limits.ts';
import { MissingFileError } from './inbox/attachment-routes.ts';
import {
  ConversationNotFoundError,
  InvalidCursorError,
  MessageRejectedError,
  MetaUnavailableError,
  NotAMemberError,
  OutsideMessagingWindowError,
  ReauthRequiredError,
  TextTooLongError,
} from './inbox/inbox-errors.ts';
import { type InboxFeature, registerInboxFeature } from './inbox/inbox-feature.ts';
import { EmptyNoteError, NoteTooLongError } from './inbox/note-errors.ts';
import { type LiveBus, MemoryLiveBus } from './live/live-bus.ts';
import { RedisLiveBus } from './live/redis-live-bus.ts';
import { SessionEnds } from './live/session-ends.ts';
import { Mailer } from './mail/mailer.ts';
import { type MediaFeature, registerMediaFeature } from './media/media-feature.ts';
import { MediaNotFoundError } from './media/media-service.ts';
import { GraphApiError, GraphResponseError, GraphTransportError } from './meta/graph-errors.ts';
import { healthRoutes } from './ops/health-routes.ts';
import { AppMetrics } from './ops/metrics.ts';
import { MetricsDisabledError, MetricsUnauthorizedError } from './ops/metrics-errors.ts';
import { metricsRoutes, observeWebhookAcks } from './ops/metrics-routes.ts';
import {
  InvalidSavedReplyTextError,
  InvalidSavedReplyTitleError,
  SavedRepliesLimitError,
  SavedReplyNotFoundError,
  SavedReplyTitleTakenError,
} from './saved-replies/saved-replies-errors.ts';
import { savedRepliesRoutes } from './saved-replies/saved-replies-routes.ts';
import { SavedRepliesService } from './saved-replies/saved-replies-service.ts';
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
  [LastOwnerError, 409, 'last_owner'],
  [AlreadyMemberError, 409, 'already_member'],
  [MemberNotFoundError, 404, 'member_not_found'],
  [InvitationNotFoundError, 404, 'invitation_not_found'],
  [ResetLinkInvalidError, 404, 'reset_link_invalid'],
  [WeakPasswordError, 400, 'weak_password'],
  [InvalidCodeError, 401, 'invalid_code'],
  [ChallengeExpiredError, 401, 'challenge_expired'],
  [TwoFactorStateError, 409, 'two_factor_state'],
  [TwoFactorRequiredError, 403, 'two_factor_required'],
  [SessionNotFoundError, 404, 'session_not_found'],
  [MailNotConfiguredError, 503, 'mail_not_configured'],
  [CsrfRejectedError, 403, 'csrf_rejected'],
  [UnsupportedMediaTypeError, 415, 'unsupported_media_type'],
  [RateLimitedError, 429, 'rate_limited'],
  [HashingBusyError, 503, 'server_busy'],
  [NoPendingPagesError, 404, 'no_pending_pages'],
  [PageNotInListError, 422, 'page_not_in_list'],
  [PageUnavailableError, 422, 'page_unavailable'],
  [PageAlreadyConnectedError, 409, 'page_already_connected'],
  [PageTokenUnavailableError, 502, 'meta_unavailable'],
  [MetaUnreachableError, 502, 'meta_unavailable'],
  [MetaRefusedError, 422, 'meta_refused'],
  [NotConnectedError, 409, 'not_connected'],
  [MetaNotConfiguredError, 503, 'meta_not_configured'],
  [InvalidWebhookSignatureError, 401, 'invalid_signature'],
  [WebhookVerificationError, 403, 'verification_failed'],
  [WebhookStorageUnavailableError, 503, 'storage_unavailable'],
  [ConversationNotFoundError, 404, 'not_found'],
  [MediaNotFoundError, 404, 'not_found'],
  [FileTooLargeError, 413, 'file_too_large'],
  [UnsupportedAttachmentTypeError, 415, 'unsupported_media_type'],
  [MissingFileError, 400, 'invalid_request'],
  [InvalidCursorError, 400, 'invalid_cursor'],
  [OutsideMessagingWindowError, 422, 'outside_messaging_window'],
  [ReauthRequiredError, 424, 'reauth_required'],
  [MessageRejectedError, 422, 'message_rejected'],
  [MetaUnavailableError, 502, 'meta_unavailable'],
  [TextTooLongError, 422, 'text_too_long'],
  [NotAMemberError, 422, 'not_a_member'],
  [SavedReplyNotFoundError, 404, 'not_found'],
  [SavedReplyTitleTakenError, 409, 'title_taken'],
  [SavedRepliesLimitError, 409, 'limit_reached'],
  [InvalidSavedReplyTitleError, 422, 'invalid_title'],
  [InvalidSavedReplyTextError, 422, 'invalid_text'],
  [EmptyNoteError, 422, 'text_empty'],
  [NoteTooLongError, 422, 'text_too_long'],
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
  FST_REQ_FILE_TOO_LARGE: [413, 'file_too_large'],
  FST_INVALID_MULTIPART_CONTENT_TYPE: [415, 'unsupported_media_type'],
};

export const API_BODY_LIMIT = 64 * 1024;

export interface App {
  app: FastifyInstance;
  /** Feature handles tests drive directly (e.g. run due jobs now). */
  meta: ConnectionFeature;
  /** The inbox: `inbox.processor.drain()` processes stored webhook deliveries now. */
  inbox: InboxFeature;
  /** Media kept and served: `media.media.runDownload`, the store, signed links. */
  media: MediaFeature;
  /** The history import (`history.runStep`), driven by the job runner. */
  history: HistoryService;
  /** This instance's Prometheus registry (served at /metrics). */
  metrics: AppMetrics;
  /** Password hashing, so tests can see how many hashes ran and at what cost. */
  hasher: PasswordHasher;
}

export async function buildApp(deps: Deps): Promise<FastifyInstance> {
  return (await buildAppWithFeatures(deps)).app;
}

export async function buildAppWithFeatures(deps: Deps): Promise<App> {
  const { config } = deps;
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: API_BODY_LIMIT,
    // TRUST_PROXY (CONTRACT §2): request.ip, which keys the rate limits, believes X-Forwarded-For
    // only from these peers.
    trustProxy: fastifyTrustProxy(deps.trustProxy ?? config.trustProxy),
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
        if (status === 403 || status === 429) {
          request.log.warn({ code, path: request.routeOptions.url }, 'request refused');
        }
        // Limits and overload say when to come back (RateLimitedError, HashingBusyError).
        const retryAfter = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
        if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
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
    // A Graph failure no service named: still Meta's, not ours. Logged as the bug it is, answered as a
    // 502 with our words (Meta's own message may name internals).
    if (
      error instanceof GraphApiError ||
      error instanceof GraphTransportError ||
      error instanceof GraphResponseError
    ) {
      request.log.error({ err: error }, 'unnamed graph failure');
      return reply.code(502).send({
        error: {
          code: 'meta_unavailable',
          message: 'Meta could not complete this request; try again in a moment',
        },
      });
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
        // Media are served by Parley itself (/api/media), never hot-linked from Meta's CDN (issue 13);
        // data: and blob: are the composer's previews of a file about to be sent.
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
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
  // One live bus per app: inbox events and the orders that end streams when a session ends.
  const bus: LiveBus = deps.redis ? new RedisLiveBus(deps.redis, deps.logger) : new MemoryLiveBus();
  const attempts = new CredentialAttempts(deps.cache, deps.now, deps.attemptLimits ?? DEFAULT_ATTEMPT_LIMITS);
  const hasher = new PasswordHasher(deps.passwordHashing);
  const sessionEnds = new SessionEnds(bus);
  const challenges = new LoginChallenges(deps.cache);
  const db = deps.database.db;
  const accounts = new AccountsService({ db, now: deps.now, hasher, attempts, sessionEnds, challenges });
  const mailer = config.smtpUrl ? new Mailer(config.smtpUrl, config.mailFrom, deps.logger) : null;
  if (mailer) app.addHook('onClose', async () => mailer.close());
  const members = new MembersService(db, sessionEnds, bus, deps.now);
  const publicUrl = config.publicUrl;
  const twoFactor = new TwoFactorService({
    db,
    now: deps.now,
    cipher: deps.cipher,
    hasher,
    attempts,
    challenges,
    accounts,
    sessionEnds,
  });
  const loadSession = sessionLoader(accounts, cookies);
  registerRouteHooks(app, { publicOrigin: new URL(config.publicUrl).origin, loadSession });

  await app.register(healthRoutes, {
    database: deps.database,
    cache: deps.cache,
    readiness: deps.readiness,
  });
  const metrics = new AppMetrics(deps.database, deps.now);
  observeWebhookAcks(app, metrics);
  await app.register(metricsRoutes, { metrics, token: config.metricsToken });
  await app.register(accountsRoutes, { accounts, twoFactor, cookies, attempts });
  await app.register(teamRoutes, {
    invitations: new InvitationsService({ db, now: deps.now, hasher, accounts, mailer, publicUrl }),
    members,
    passwords: new PasswordsService({ db, now: deps.now, hasher, sessionEnds, members, mailer, publicUrl }),
    twoFactor,
    sessions: new AccountSessionsService(db, deps.now, sessionEnds),
    cookies,
    attempts,
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
  const connectionHooks: { purgeMedia?: (orgId: string, accountIds: string[]) => Promise<void> } = {};
  const meta = await registerConnectionFeature(app, measured, cookies, mailer, bus, connectionHooks);
  const media = await registerMediaFeature(app, deps, meta.jobs);
  connectionHooks.purgeMedia = async (orgId, accountIds) => {
    for (const accountId of accountIds) await media.media.purge(orgId, accountId);
  };
  const inbox = await registerInboxFeature(app, deps, meta.graph, metrics, bus, media, meta.alerts);
  const history = await registerHistoryFeature(app, deps, meta.graph, meta.jobs, inbox);
  await app.register(savedRepliesRoutes, { savedReplies: new SavedRepliesService(db, deps.now) });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await registerWebAssets(app, deps.distDir ?? 'dist');
  return { app, meta, inbox, media, history, metrics, hasher };
}
