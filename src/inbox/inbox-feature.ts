// Wires the inbox: the webhook receiver and its processor, the conversation API, replies through the
// Send API, participant names, and live updates (in memory, or over Redis when REDIS_URL is set).

import { existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { ConnectionAlerts } from '../connections/connection-alerts.ts';
import { MetaNotConfiguredError } from '../connections/connection-errors.ts';
import type { Deps } from '../deps.ts';
import { eventsRoutes } from '../live/events-routes.ts';
import type { LiveBus } from '../live/live-bus.ts';
import type { MediaFeature } from '../media/media-feature.ts';
import type { GraphClient } from '../meta/graph-client.ts';
import type { AppMetrics } from '../ops/metrics.ts';
import { ConversationSearchService } from '../search/conversation-search-service.ts';
import { createSearchRepository } from '../search/create-search-repository.ts';
import { MAIN_WAL_AUTOCHECKPOINT_PAGES, setWalAutocheckpoint } from '../storage/sqlite-wal.ts';
import { DeliveryInbox } from '../webhooks/delivery-inbox.ts';
import { hasDueDelivery, releaseLeasesOfEndedProcess } from '../webhooks/delivery-repository.ts';
import { INTAKE_GROUPS_IN_FLIGHT, IntakeAppender } from '../webhooks/intake-appender.ts';
import { IntakeTransfer, intakeFileOf, intakeHasBodies } from '../webhooks/intake-file.ts';
import { type DeliveryProcessing, ProcessorThread } from '../webhooks/processor-thread.ts';
import { WebhookProcessor } from '../webhooks/webhook-processor.ts';
import { webhookRoutes } from '../webhooks/webhook-routes.ts';
import { AssignmentService } from './assignment-service.ts';
import { attachmentRoutes } from './attachment-routes.ts';
import { AttachmentService } from './attachment-service.ts';
import { ConversationStatusService } from './conversation-status-service.ts';
import { inboxRoutes } from './inbox-routes.ts';
import { InboxService } from './inbox-service.ts';
import { mediaSettledHandler } from './media-settled.ts';
import { MentionService } from './mention-service.ts';
import { noteRoutes } from './note-routes.ts';
import { NoteService } from './note-service.ts';
import { ParticipantProfiles } from './participant-profiles.ts';
import { presenceRoutes } from './presence-routes.ts';
import { PresenceService } from './presence-service.ts';
import { ReplyService } from './reply-service.ts';

/**
 * In its own thread a processing transaction holds no event loop, so it may be far larger than inline.
 * Size is what makes a backlog drain fast: a transaction rewrites every conversation-index page its
 * conversations sit on, and with a few thousand active conversations that is most of them whatever the
 * transaction's size — so the cost per event falls as transactions grow. An inline drain of 20,000
 * single-event deliveries over 2,000 conversations (SQLite, one file, 2-core VM): 100 events per
 * transaction 3,139 events/s and 38 kB of WAL per event; 500: 5,078 and 18 kB; 1,000: 7,891 and 9.5 kB;
 * 2,000: 8,848 and 5.6 kB. PostgreSQL, same drain: 500: 1,906; 1,000: 2,945; 2,000: 3,040 events/s.
 * A transaction holds the main file's write lock (SQLite) or its conversations' rows (PostgreSQL), which
 * an agent's reply may wait for: 1,000 events take 120–300 ms here, so not larger. A claim is up to one
 * transaction's worth (WebhookProcessor adapts it to the events per delivery): with 500 single-event
 * deliveries per claim, a transaction held 500 events, and the drain after a single-event burst ran at
 * 3,974–4,214 events/s on SQLite; with 1,000, 4,928 (BENCH_ONLY=ingestion, 2026-12-05). With a few
 * deliveries due, transactions stay small.
 */
const THREAD_EVENTS_PER_TRANSACTION = { sqlite: 1000, postgres: 1000 } as const;
const THREAD_CLAIM_BATCH = { sqlite: 1000, postgres: 1000 } as const;

export interface InboxFeature {
  processor: DeliveryProcessing;
  inbox: InboxService;
  replies: ReplyService;
  profiles: ParticipantProfiles;
  bus: LiveBus;
}

export async function registerInboxFeature(
  app: FastifyInstance,
  deps: Deps,
  graph: GraphClient,
  metrics: AppMetrics | undefined,
  /** Built by app.ts, which also ends sessions' streams through it; closed here after the processor. */
  bus: LiveBus,
  media: MediaFeature,
  /** Connection alerts by mail: a reply refused for a rejected token means the Page needs reconnecting. */
  alerts?: ConnectionAlerts,
): Promise<InboxFeature> {
  const metaApp = deps.config.meta.app;
  if (!metaApp) throw new MetaNotConfiguredError();
  const db = deps.database.db;
  const shared = { db, bus, now: deps.now };
  const profiles = new ParticipantProfiles({
    ...shared,
    database: deps.database,
    graph,
    cipher: deps.cipher,
    logger: deps.logger,
  });
  // With an SQLite file, deliveries are committed on this thread and synced off it (intake-appender.ts). A
  // running server processes in a worker thread of its own (processor-thread.ts), and on an SQLite file
  // commits deliveries to an intake file of its own (intake-file.ts). Tests that drive processing
  // themselves (runJobs: false, often with a test clock) keep both in the main file and thread.
  const file = deps.database.file && deps.database.file !== ':memory:' ? deps.database.file : null;
  const threaded =
    deps.config.webhookProcessing === 'thread' &&
    deps.runJobs !== false &&
    (file !== null || deps.database.dialect === 'postgres');
  const intakeFile = file && threaded ? intakeFileOf(file) : null;
  if (file && threaded) await setWalAutocheckpoint(deps.database, MAIN_WAL_AUTOCHECKPOINT_PAGES);
  const writer = file ? new IntakeAppender(intakeFile ?? file, intakeFile !== null) : null;
  const intake = writer
    ? new DeliveryInbox(db, deps.now, (rows) => writer.write(rows), INTAKE_GROUPS_IN_FLIGHT)
    : new DeliveryInbox(db, deps.now);
  // Processing inline after a run that used the intake file: its last bodies still move over.
  const leftover =
    file && !threaded && existsSync(intakeFileOf(file))
      ? new IntakeTransfer(intakeFileOf(file), deps.database)
      : undefined;
  // One process owns an SQLite file: leases left at start belong to a process that was killed.
  if (file && deps.runJobs !== false) {
    const released = await releaseLeasesOfEndedProcess(db, deps.now());
    if (released > 0)
      deps.logger.info({ released }, 'webhook deliveries claimed by an ended process are due again');
  }
  const onFinished = metrics
    ? (outcome: Parameters<typeof metrics.deliveryFinished>[0], lagMs: number) =>
        metrics.deliveryFinished(outcome, lagMs)
    : undefined;
  const onGaveWay = metrics ? (pauseMs: number) => metrics.processingPaused(pauseMs) : undefined;
  let intakeLooked = false;
  const processor: DeliveryProcessing = threaded
    ? new ProcessorThread({
        database: deps.database,
        config: deps.config.database,
        intakeFile,
        keepRunning: deps.database.dialect === 'postgres',
        storedSoFar: () => intake.stored,
        hasWork: async () => {
          if (intakeFile && !intakeLooked) {
            intakeLooked = true;
            if (intakeHasBodies(intakeFile)) return true;
          }
          return hasDueDelivery(db, deps.now());
        },
        logger: deps.logger,
        logLevel: deps.config.logLevel,
        bus,
        profiles,
        eventsPerTransaction: THREAD_EVENTS_PER_TRANSACTION[deps.database.dialect],
        claimBatch: THREAD_CLAIM_BATCH[deps.database.dialect],
        onFinished,
        onGaveWay,
      })
    : new WebhookProcessor({
        database: deps.database,
        storedSoFar: () => intake.stored,
        intake: leftover,
        logger: deps.logger,
        now: deps.now,
        bus,
        profiles,
        onFinished,
        onGaveWay,
      });
  const search = new ConversationSearchService(db, createSearchRepository(deps.database.dialect));
  const inbox = new InboxService({ ...shared, search });
  const assignment = new AssignmentService(shared);
  const statuses = new ConversationStatusService({ ...shared, assignment });
  media.media.onSettled(mediaSettledHandler(shared));
  const replies = new ReplyService({
    ...shared,
    graph,
    cipher: deps.cipher,
    logger: deps.logger,
    humanAgent: deps.config.humanAgent,
    alerts,
  });
  const attachments = new AttachmentService({ replies, media: media.media, links: media.links });
  const presence = new PresenceService({
    ...shared,
    cache: deps.cache,
    logger: deps.logger,
    timings: deps.presenceTimings,
  });

  if (deps.runJobs !== false) processor.start();
  app.addHook('onClose', async () => {
    await processor.stop();
    presence.close();
    await writer?.close();
    leftover?.close();
    await bus.close();
  });

  await app.register(webhookRoutes, {
    appSecret: metaApp.appSecret,
    verifyToken: metaApp.verifyToken,
    inbox: intake,
    onStored: () => processor.kick(),
  });
  await app.register(inboxRoutes, {
    inbox,
    replies,
    statuses,
    assignment,
    humanAgent: deps.config.humanAgent,
  });
  await app.register(attachmentRoutes, { attachments });
  await app.register(presenceRoutes, { presence });
  await app.register(eventsRoutes, {
    bus,
    onSessionStreamsClosed: (closed) => void presence.streamsClosed(closed),
    onStreamOpened: (opened) => void presence.streamOpened(opened),
  });
  await app.register(noteRoutes, {
    notes: new NoteService({ ...shared, logger: deps.logger }),
    mentions: new MentionService({ ...shared, logger: deps.logger }),
  });
  return { processor, inbox, replies, profiles, bus };
}
