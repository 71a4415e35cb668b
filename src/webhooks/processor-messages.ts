// What the main thread and the processor worker (processor-worker.ts) say to each other.
import type { Config } from '../config.ts';
import type { MessageRow } from '../inbox/message-repository.ts';
import type { DeliveryOutcome } from './delivery-table.ts';

export interface ProcessorWorkerData {
  database: Config['database'];
  /** SQLite: the intake file the receiver commits to (intake-file.ts). */
  intakeFile: string | null;
  logLevel: string;
  pollMs: number;
  eventsPerTransaction: number;
  claimBatch: number;
  /** The thread's scheduling priority (thread-priority.ts); 0 leaves it as the process's. */
  nice: number;
}

export type ToProcessor =
  /** `stored`: deliveries the receiver has committed so far (the processor gives way while it is busy). */
  { type: 'kick'; stored: number } | { type: 'drain'; seq: number } | { type: 'stop'; seq: number };

/** One organization's committed changes, for the main thread to publish and to look up names for. */
export interface CommittedChanges {
  orgId: string;
  created: MessageRow[];
  updated: MessageRow[];
  conversations: string[];
  needProfile: string[];
}

export type FromProcessor =
  | { type: 'committed'; changes: CommittedChanges }
  | { type: 'finished'; list: Array<{ outcome: DeliveryOutcome | 'retry'; lagMs: number }> }
  /** The processor paused this long for a busy receiver (WebhookProcessor.giveWay). */
  | { type: 'gave-way'; pauseMs: number }
  | { type: 'done'; seq: number; n: number }
  | { type: 'failed'; seq: number; error: string };
