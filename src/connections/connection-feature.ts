// Wires the Meta connection: the Graph client, the OAuth flow, the connection service, their routes
// and the background jobs that retry subscriptions and unsubscribe disconnected Pages.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import type { CookiePolicy } from '../http/session-cookie.ts';
import { JobRunner } from '../jobs/job-runner.ts';
import { GraphClient } from '../meta/graph-client.ts';
import { MetaNotConfiguredError } from './connection-errors.ts';
import { connectionRoutes } from './connection-routes.ts';
import { ConnectionService, SUBSCRIBE_JOB, UNSUBSCRIBE_JOB } from './connection-service.ts';
import { oauthCallbackRoutes } from './oauth-callback-routes.ts';
import { OAuthFlow } from './oauth-callback-service.ts';
import { OAuthTransactions } from './oauth-transactions.ts';
import { PendingPagesStore } from './pending-pages-store.ts';

export interface ConnectionFeature {
  connections: ConnectionService;
  jobs: JobRunner;
  graph: GraphClient;
}

export async function registerConnectionFeature(
  app: FastifyInstance,
  deps: Deps,
  cookies: CookiePolicy,
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
  const pending = new PendingPagesStore(deps.cache, deps.cipher, deps.now);
  const connections = new ConnectionService({
    db: deps.database.db,
    cipher: deps.cipher,
    graph,
    pending,
    now: deps.now,
    logger: deps.logger,
    subscriber: {
      graph,
      callbackUrl: config.webhookCallbackUrl,
      verifyToken: metaApp.verifyToken,
      pageFields: [...config.meta.webhookFields],
    },
  });
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
    pending,
    connections,
    logger: deps.logger,
  });
  const jobs = new JobRunner({ database: deps.database, logger: deps.logger, now: deps.now })
    .handle(SUBSCRIBE_JOB, (p) => connections.runSubscribeJob(p as { org_id: string; page_id: string }))
    .handle(UNSUBSCRIBE_JOB, (p) => connections.runUnsubscribeJob(p as { page_id: string; sealed_token: string }));
  if (deps.runJobs !== false) {
    jobs.start();
    app.addHook('onClose', () => jobs.stop());
  }

  await app.register(connectionRoutes, { connections, flow, cookies });
  await app.register(oauthCallbackRoutes, { flow, cookies, publicUrl: config.publicUrl });
  return { connections, jobs, graph };
}
