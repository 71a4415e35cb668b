// Wires the history import: its job on the shared runner and the progress route.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import type { InboxFeature } from '../inbox/inbox-feature.ts';
import type { JobRunner } from '../jobs/job-runner.ts';
import type { GraphClient } from '../meta/graph-client.ts';
import { HISTORY_IMPORT_JOB } from './history-requests.ts';
import { historyRoutes } from './history-routes.ts';
import { HistoryService } from './history-service.ts';

export async function registerHistoryFeature(
  app: FastifyInstance,
  deps: Deps,
  graph: GraphClient,
  jobs: JobRunner,
  inbox: InboxFeature,
): Promise<HistoryService> {
  const history = new HistoryService({
    db: deps.database.db,
    graph,
    cipher: deps.cipher,
    bus: inbox.bus,
    logger: deps.logger,
    now: deps.now,
  });
  jobs.handle(HISTORY_IMPORT_JOB, (payload, attempt) => history.runStep(payload, attempt));
  await app.register(historyRoutes, { history });
  return history;
}
