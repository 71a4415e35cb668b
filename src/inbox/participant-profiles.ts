// Names the person of a new conversation from Meta's user profile API, with the organization's Page
// token. Best effort: a failure leaves the name empty (the inbox shows the id) and is not retried for
// an hour, so a person whose profile Meta withholds does not cost a Graph call per message.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import * as connections from '../connections/connection-repository.ts';
import { pageTokenAad } from '../connections/connection-service.ts';
import type { LiveBus } from '../live/live-bus.ts';
import type { GraphClient } from '../meta/graph-client.ts';
import { classifyGraphError } from '../meta/graph-error-class.ts';
import { instagramUserProfile, messengerUserProfile } from '../meta/user-profile.ts';
import type { TokenCipher } from '../secrets/token-cipher.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import * as conversations from './conversation-repository.ts';
import { publishConversations } from './inbox-publisher.ts';

const RECHECK_MS = 3600_000;

export interface ParticipantProfilesDeps {
  db: Kysely<DatabaseSchema>;
  graph: GraphClient;
  cipher: TokenCipher;
  bus: LiveBus;
  now: () => number;
  logger: Logger;
}

export class ParticipantProfiles {
  constructor(private readonly d: ParticipantProfilesDeps) {}

  async refresh(orgId: string, conversationIds: Iterable<string>): Promise<void> {
    const named: string[] = [];
    for (const id of conversationIds) {
      if (await this.refreshOne(orgId, id)) named.push(id);
    }
    if (named.length > 0) await publishConversations(this.d.db, this.d.bus, orgId, named);
  }

  private async refreshOne(orgId: string, conversationId: string): Promise<boolean> {
    const conv = await conversations.findConversation(this.d.db, orgId, conversationId);
    if (!conv || conv.participant_name !== null) return false;
    if (conv.profile_checked_at !== null && this.d.now() - conv.profile_checked_at < RECHECK_MS) return false;
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
          ? await messengerUserProfile(this.d.graph, conv.participant_id, token)
          : await instagramUserProfile(this.d.graph, conv.participant_id, token);
      await conversations.setProfile(this.d.db, conv.id, profile.name, this.d.now());
      return profile.name !== null;
    } catch (err) {
      this.d.logger.warn(
        { orgId, conversationId, cls: classifyGraphError(err) },
        'participant profile lookup failed',
      );
      await conversations.setProfile(this.d.db, conv.id, null, this.d.now());
      return false;
    }
  }
}
