// Managing teammates (CONTRACT §3): change a role, remove a member. Rules: only owners and admins
// manage; an admin can neither make anyone owner nor change or remove an owner; the last owner can never
// be demoted or removed (409 last_owner). Each change runs in one transaction holding the organization
// lock (members-repository.ts), so two concurrent demotions cannot leave the organization ownerless.
import type { Kysely } from 'kysely';
import { unassignMember } from '../inbox/assignment-repository.ts';
import { publishConversations } from '../inbox/inbox-publisher.ts';
import type { LiveBus } from '../live/live-bus.ts';
import type { SessionEnds } from '../live/session-ends.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import { ForbiddenError, LastOwnerError, MemberNotFoundError } from './account-errors.ts';
import type { Role } from './accounts-repository.ts';
import type { SessionContext } from './accounts-service.ts';
import * as members from './members-repository.ts';
import { deleteUserSessions } from './sessions-repository.ts';

type Member = NonNullable<Awaited<ReturnType<typeof members.findMember>>>;

export class MembersService {
  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly sessionEnds: SessionEnds,
    private readonly bus: LiveBus,
    private readonly now: () => number,
  ) {}

  async changeRole(actor: SessionContext, userId: string, role: Role): Promise<Member> {
    if (actor.role === 'admin' && role === 'owner')
      throw new ForbiddenError('Only an owner can make someone owner');
    return this.db.transaction().execute(async (tx) => {
      await members.lockOrganization(tx, actor.organization.id);
      const target = await this.manageable(tx, actor, userId);
      if (
        target.role === 'owner' &&
        role !== 'owner' &&
        (await members.countOwners(tx, actor.organization.id)) <= 1
      ) {
        throw new LastOwnerError();
      }
      await members.setRole(tx, actor.organization.id, userId, role);
      return { ...target, role };
    });
  }

  /**
   * Removes the member; their sessions end and their live streams close on every instance at once, and
   * the conversations assigned to them become unassigned (announced as conversation.updated).
   */
  async remove(actor: SessionContext, userId: string): Promise<void> {
    const orgId = actor.organization.id;
    const unassigned = await this.db.transaction().execute(async (tx) => {
      await members.lockOrganization(tx, orgId);
      const target = await this.manageable(tx, actor, userId);
      if (target.role === 'owner' && (await members.countOwners(tx, orgId)) <= 1) throw new LastOwnerError();
      await members.deleteMembership(tx, orgId, userId);
      await deleteUserSessions(tx, userId);
      // The user row stays (replies they sent keep their author) and can be invited again.
      return unassignMember(tx, orgId, userId, this.now());
    });
    await this.sessionEnds.user(orgId, userId);
    await publishConversations(this.db, this.bus, orgId, unassigned);
  }

  /** The target as the actor may manage it: 403 for agents and for an admin touching an owner. */
  async manageable(db: Kysely<DatabaseSchema>, actor: SessionContext, userId: string): Promise<Member> {
    if (actor.role === 'agent') throw new ForbiddenError('Only owners and admins can manage members');
    const target = await members.findMember(db, actor.organization.id, userId);
    if (!target) throw new MemberNotFoundError();
    if (actor.role === 'admin' && target.role === 'owner') {
      throw new ForbiddenError('Only an owner can change or remove an owner');
    }
    return target;
  }
}
