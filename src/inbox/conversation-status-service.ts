// PATCH /api/conversations/:id (CONTRACT §6): any member resolves or reopens a conversation and assigns it
// (AssignmentService checks the assignee is a member). A change reaches every open
// browser of the organization as `conversation.updated`, after the commit. Reopening on the person's
// next message is not here: it is part of the webhook's single UPDATE (recordInboundMessages).
import type { Kysely } from 'kysely';
import type { ConversationStatus, ConversationView } from '../contract.ts';
import type { LiveBus } from '../live/live-bus.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import type { AssignmentService } from './assignment-service.ts';
import { conversationPageByIds } from './conversation-page.ts';
import * as conversations from './conversation-repository.ts';
import { ConversationNotFoundError } from './inbox-errors.ts';
import { publishConversations } from './inbox-publisher.ts';
import { conversationViews } from './view-loader.ts';

export interface ConversationUpdate {
  status?: ConversationStatus;
  assignee_id?: string | null;
}

export interface ConversationStatusServiceDeps {
  db: Kysely<DatabaseSchema>;
  bus: LiveBus;
  now: () => number;
  assignment: AssignmentService;
}

export class ConversationStatusService {
  constructor(private readonly d: ConversationStatusServiceDeps) {}

  async update(orgId: string, id: string, change: ConversationUpdate): Promise<ConversationView> {
    const before = await conversations.findConversation(this.d.db, orgId, id);
    if (!before) throw new ConversationNotFoundError();
    let changed = false;
    if (change.assignee_id !== undefined && change.assignee_id !== before.assignee_id) {
      await this.d.assignment.assign(orgId, id, change.assignee_id);
      changed = true;
    }
    if (change.status !== undefined && change.status !== before.status) {
      if (!(await conversations.setStatus(this.d.db, orgId, id, change.status, this.d.now())))
        throw new ConversationNotFoundError();
      changed = true;
    }
    // The view published is the answer too: one statement reads it for both (conversation-page.ts).
    const [view] = changed
      ? await publishConversations(this.d.db, this.d.bus, orgId, [id])
      : (await conversationPageByIds(this.d.db, orgId, [id])).views;
    return view ?? (await conversationViews(this.d.db, [before]))[0]!;
  }
}
