// Assignment (CONTRACT §6, issue 12): any member gives a conversation to any member of the organization,
// or to nobody (PATCH /api/conversations/:id, through ConversationStatusService, which publishes the
// change); the Mine and Unassigned views' counts. Replying to an unassigned conversation assigns it to
// the replier (ReplyService, in the transaction storing the reply); removing a member unassigns their
// conversations (MembersService.remove, in its transaction).
import type { Kysely } from 'kysely';
import * as members from '../accounts/members-repository.ts';
import type { ConversationCounts } from '../contract.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import * as assignment from './assignment-repository.ts';
import { ConversationNotFoundError, NotAMemberError } from './inbox-errors.ts';

export class AssignmentService {
  constructor(private readonly d: { db: Kysely<DatabaseSchema>; now: () => number }) {}

  /** Sets the assignee: a member of `orgId` (else NotAMemberError) or null. */
  async assign(orgId: string, conversationId: string, assigneeId: string | null): Promise<void> {
    if (assigneeId !== null && !(await members.findMember(this.d.db, orgId, assigneeId)))
      throw new NotAMemberError();
    if (!(await assignment.setAssignee(this.d.db, orgId, conversationId, assigneeId, this.d.now())))
      throw new ConversationNotFoundError();
  }

  counts(orgId: string, userId: string): Promise<ConversationCounts> {
    return assignment.countOpen(this.d.db, orgId, userId);
  }
}
