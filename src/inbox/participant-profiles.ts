// Names the person of a new conversation from Meta's user profile API, with the organization's Page
// token. Best effort: a failure leaves the name empty (the inbox shows the id) and is not retried for
// an hour, so a person whose profile Meta withholds does not cost a Graph call per message.
// Lookups wait in one queue, a few at a time, each conversation once: a burst of new conversations
// (or Meta slowing calls down near its rate limit) delays names, never the messages themselves.
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import * as connections from '../connections/connection-repository.ts';
import { pageTokenAad } from '../connections/connection-service.ts';
import type { LiveBus } from '../live/live-bus.ts';
import { requestDownloads } from '../media/media-requests.ts';
import type { GraphClient } from '../meta/graph-client.ts';
import { classifyGraphError } from '../meta/graph-error-class.ts';
import { instagramUserProfile, messengerUserProfile } from '../meta/user-profile.ts';
import type { TokenCipher } from '../secrets/token-cipher.ts';
import type { Database } from '../storage/database.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import { derivedTransaction } from '../storage/derived-transaction.ts';
import * as conversations from './conversation-repository.ts';
import { publishConversations } from './inbox-publisher.ts';
import { needsProfile } from './profile-recheck.ts';

export interface ParticipantProfilesDeps {
  db: Kysely<DatabaseSchema>;
  /**
   * When given, a name (or a failed lookup) is stored without waiting for the disk: it is looked up
   * again if a power cut loses it (storage/derived-transaction.ts). On SQLite a synced commit per new
   * conversation held the receiver's event loop for the length of an fsync.
   */
  database?: Database;
  graph: GraphClient;
  cipher: TokenCipher;
  bus: LiveBus;
  now: () => number;
  logger: Logger;
}

const CONCURRENCY = 4;
/**
 * Beyond this many waiting, new ones are skipped: their name is still empty, so their next message asks
 * again.
 */
const MAX_WAITING = 10_000;

export class ParticipantProfiles {
  /** Conversation id → organization, in arrival order. */
  private readonly waiting = new Map<string, string>();
  private readonly inFlight = new Set<string>();
  private whenIdle: Array<() => void> = [];

  constructor(private readonly d: ParticipantProfilesDeps) {}

  /**
   * Queues lookups for these conversations and returns at once. It used to return a promise that
   * settled when the queue next ran empty: under a steady stream of new conversations that is never,
   * and the processor kept each one (with its closure) until then — 74,000 promises after a minute at
   * 1,000 deliveries/s, most of the resident memory's growth (issue 15). Whoever must wait for the
   * lookups (a drain, a test) asks idle().
   */
  refresh(orgId: string, conversationIds: Iterable<string>): void {
    for (const id of conversationIds) {
      if (this.waiting.size >= MAX_WAITING) break;
      if (!this.inFlight.has(id)) this.waiting.set(id, orgId);
    }
    this.pump();
  }

  /** Resolves once no lookup is waiting or running. */
  idle(): Promise<void> {
    if (this.inFlight.size === 0 && this.waiting.size === 0) return Promise.resolve();
    return new Promise<void>((resolve) => this.whenIdle.push(resolve));
  }

  /** Shutting down: drops the lookups not started yet (each asks again at its next message). */
  cancelWaiting(): void {
    this.waiting.clear();
    this.pump();
  }

  private pump(): void {
    while (this.inFlight.size < CONCURRENCY && this.waiting.size > 0) {
      const [id, orgId] = this.waiting.entries().next().value as [string, string];
      this.waiting.delete(id);
      this.inFlight.add(id);
      void this.lookUp(orgId, id).finally(() => {
        this.inFlight.delete(id);
        this.pump();
      });
    }
    if (this.inFlight.size === 0 && this.waiting.size === 0) {
      const resolvers = this.whenIdle;
      this.whenIdle = [];
      for (const resolve of resolvers) resolve();
    }
  }

  private async lookUp(orgId: string, id: string): Promise<void> {
    try {
      if (await this.refreshOne(orgId, id)) await publishConversations(this.d.db, this.d.bus, orgId, [id]);
    } catch (err) {
      this.d.logger.warn({ orgId, conversationId: id, err }, 'participant profile not stored');
    }
  }

  private async refreshOne(orgId: string, conversationId: string): Promise<boolean> {
    const conv = await conversations.findConversation(this.d.db, orgId, conversationId);
    if (!conv || !needsProfile(conv, this.d.now())) return false;
    const connection = await connections.findByOrg(this.d.db, orgId);
    const account =
      conv.channel === 'messenger' ? connection?.facebook_page_id : connection?.instagram_business_account_id;
    if (!connection || account !== conv.account_id) return false;
    try {
      const token = this.d.cipher.decrypt(
        connection.page_access_token,
        pageTokenAad(orgId, connection.facebook_page_id),
      );
      const profile =
        conv.channel === 'messenger'
          ? await messengerUserProfile(this.d.graph, conv.participant_id, token, connection.facebook_page_id)
          : await instagramUserProfile(this.d.graph, conv.participant_id, token, connection.facebook_page_id);
      await this.write(async (tx) => {
        await conversations.setProfile(tx, conv.id, profile.name, this.d.now(), profile.username);
        if (profile.picture && conv.participant_picture_id === null)
          await requestDownloads(
            tx,
            [
              {
                orgId,
                owner: `conversation:${conv.id}`,
                accountId: conv.account_id,
                url: profile.picture,
                name: null,
              },
            ],
            this.d.now(),
          );
      });
      return profile.name !== null;
    } catch (err) {
      this.d.logger.warn(
        { orgId, conversationId, cls: classifyGraphError(err) },
        'participant profile lookup failed',
      );
      await this.write((tx) => conversations.setProfile(tx, conv.id, null, this.d.now()));
      return false;
    }
  }

  private write(work: (tx: Transaction<DatabaseSchema>) => Promise<void>): Promise<void> {
    return this.d.database
      ? derivedTransaction(this.d.database, work)
      : this.d.db.transaction().execute(work);
  }
}
