// PATCH /api/conversations/:id (CONTRACT §6): any member resolves or reopens a conversation. The body's
// shape is the contract's whole `{status?, assignee_id?}` so assignment can join this route; until it
// exists, naming an assignee is refused (501) rather than silently ignored. A change reaches every open
// browser of the organization as `conversation.updated`, after the commit. Reopening on the person's
// next message is not here: it is part of the webhook's single UPDATE (recordInboundMessages).
import type { Kysely } from 'kysely';
import type { ConversationStatus, ConversationView } from '../contract.ts';
import type { LiveBus } from '../live/live-bus.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import * as conversations from './conversation-repository.ts';
import { AssignmentNotAvailableError, ConversationNotFoundError } from './inbox-errors.ts';
import { publishConversations } from './inbox-publisher.ts';
import { toConversationView } from './inbox-views.ts';
import * as messages from './message-repository.ts';

export interface ConversationUpdate {
  status?: ConversationStatus;
  assignee_id?: string | null;
}

export interface ConversationStatusServiceDeps {
  db: Kysely<DatabaseSchema>;
  bus: LiveBus;
  now: () => number;
}

export class ConversationStatusService {
  constructor(private readonly d: ConversationStatusServiceDeps) {}

  async update(orgId: string, id: string, change: ConversationUpdate): Promise<ConversationView> {
    if (change.assignee_id !== undefined) throw new AssignmentNotAvailableError();
    const before = await conversations.findConversation(this.d.db, orgId, id);
    if (!before) throw new ConversationNotFoundError();
    if (change.status !== undefined && change.status !== before.status) {
      if (!(await conversations.setStatus(this.d.db, orgId, id, change.status, this.d.now())))
        throw new ConversationNotFoundError();
      await publishConversations(this.d.db, this.d.bus, orgId, [id]);
    }
    const row = (await conversations.findConversation(this.d.db, orgId, id)) ?? before;
    const last = row.last_message_id
      ? await messages.findMessage(this.d.db, orgId, row.last_message_id)
      : null;
    return toConversationView(row, last);
  }
}
