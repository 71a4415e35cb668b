// Wires the Meta connection: the Graph client, the OAuth flow, the connection, subscription and health
// services, their routes, Meta's account callbacks, and the background work (subscription retries,
// unsubscribes, the periodic health check).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import type { CookiePolicy } from '../http/session-cookie.ts';
import { JobRunner } from '../jobs/job-runner.ts';
import { claimSchedule } from '../jobs/schedule.ts';
import type { LiveBus } from '../live/live-bus.ts';
import type { Mailer } from '../mail/mailer.ts';
import { GraphClient } from '../meta/graph-client.ts';
import { accountCallbackRoutes } from './account-callback-routes.ts';
import type { AccountCallbackDeps } from './account-callbacks.ts';
import { ConnectionAlerts } from './connection-alerts.ts';
import { MetaNotConfiguredError } from './connection-errors.ts';
import { ConnectionHealth } from './connection-health.ts';
import { connectionRoutes } from './connection-routes.ts';
import { ConnectionService } from './connection-service.ts';
import { oauthCallbackRoutes } from './oauth-callback-routes.ts';
import { OAuthFlow } from './oauth-callback-service.ts';
import { OAuthTransactions } from './oauth-transactions.ts';
import { PendingPagesStore } from './pending-pages-store.ts';
import { SUBSCRIBE_JOB, SubscriptionService } from './subscription-service.ts';
import { runUnsubscribeJob, UNSUBSCRIBE_JOB } from './unsubscribe-job.ts';

export const HEALTH_SCHEDULE = 'meta.health-check';
const HEALTH_PERIOD_MS = 15 * 60 * 1000;

export interface ConnectionFeature {
  connections: ConnectionService;
  subscriptions: SubscriptionService;
  health: ConnectionHealth;
  jobs: JobRunner;
  graph: GraphClient;
  alerts: ConnectionAlerts;
  /** Runs the health check if this instance wins the current period; true when it ran. */
  healthTick(): Promise<boolean>;
}

export async function registerConnectionFeature(
  app: FastifyInstance,
  deps: Deps,
  cookies: CookiePolicy,
  mailer: Mailer | null,
  bus: LiveBus,
  /** Filled in by app.ts after the features this one runs before (media). */
  hooks: NonNullable<AccountCallbackDeps['hooks']> = {},
): Promise<ConnectionFeature> {
  const { config } = deps;
  const metaApp = config.meta.app;
  if (!metaApp) throw new MetaNotConfiguredError();
  const graph = new GraphClient({
    graphUrl: config.meta.graphUrl,
    apiVersion: config.meta.apiVersion,
    appId: metaApp.appId,
    appSecret: metaApp.appSecret,
    ...(deps.graphOptions ?? {}),
  });
  const alerts = new ConnectionAlerts({
    db: deps.database.db,
    mailer,
    logger: deps.logger,
    publicUrl: config.publicUrl,
    bus,
  });
  const common = { db: deps.database.db, cipher: deps.cipher, now: deps.now, logger: deps.logger, alerts };
  const pageFields = [...config.meta.webhookFields];
  const subscriptions = new SubscriptionService({
    ...common,
    subscriber: {
      graph,
      callbackUrl: config.webhookCallbackUrl,
      verifyToken: metaApp.verifyToken,
      pageFields,
    },
  });
  const pending = new PendingPagesStore(deps.cache, deps.cipher, deps.now);
  const connections = new ConnectionService({
    ...common,
    graph,
    subscriptions,
    pending,
    historyImportDays: config.historyImportDays,
  });
  const health = new ConnectionHealth({ ...common, graph, subscriptions, pageFields });
  const flow = new OAuthFlow({
    db: deps.database.db,
    graph,
    appSecret: metaApp.appSecret,
    dialog: {
      dialogUrl: config.meta.dialogUrl,
      apiVersion: config.meta.apiVersion,
      redirectUri: config.oauthRedirectUri,
      scopes: config.meta.scopes,
      loginConfigId: config.meta.loginConfigId,
    },
    transactions: new OAuthTransactions(deps.cache, deps.now),
    deadlineMs: deps.connectDeadlineMs,
    pending,
    connections,
    logger: deps.logger,
  });
  const jobs = new JobRunner({ database: deps.database, logger: deps.logger, now: deps.now })
    .handle(SUBSCRIBE_JOB, (p) => subscriptions.runJob(p as { org_id: string; page_id: string }))
    .handle(UNSUBSCRIBE_JOB, (p) =>
      runUnsubscribeJob({ ...common, graph }, p as { page_id: string; sealed_token: string }),
    );
  const healthTick = async () => {
    if (!(await claimSchedule(deps.database.db, HEALTH_SCHEDULE, deps.now(), HEALTH_PERIOD_MS))) return false;
    await health.checkAll();
    return true;
  };
  if (deps.runJobs !== false) {
    jobs.start();
    // A check in progress is finished before shutdown closes the database (graceful shutdown).
    let ticking: Promise<unknown> | null = null;
    const ticker = setInterval(() => {
      ticking ??= healthTick()
        .catch(() => false)
        .finally(() => {
          ticking = null;
        });
    }, 60_000);
    ticker.unref();
    app.addHook('onClose', async () => {
      clearInterval(ticker);
      await Promise.all([jobs.stop(), ticking]);
    });
  }

  await app.register(connectionRoutes, { connections, subscriptions, health, flow, cookies });
  await app.register(oauthCallbackRoutes, { flow, cookies, publicUrl: config.publicUrl });
  await app.register(accountCallbackRoutes, {
    ...common,
    hooks,
    appSecret: metaApp.appSecret,
    publicUrl: config.publicUrl,
  });
  // Alerts still being sent are finished before the mailer closes.
  app.addHook('onClose', async () => alerts.settled());
  return { connections, subscriptions, health, jobs, graph, alerts, healthTick };
}
