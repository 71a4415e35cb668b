// Invitations (CONTRACT §3): owners and admins invite by email and role; the link
// `$PUBLIC_URL/invite/<token>` works once, for 7 days; only the token's hash is stored. Accepting
// creates the account and the membership in one transaction that also spends the invitation, so an
// invitation accepted twice at once makes one member. Someone who was removed from the team keeps their
// user row (their replies keep an author); accepting a new invitation gives it a new password and name.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { invitationMail } from '../mail/account-mail.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import {
  AlreadyMemberError,
  EmailTakenError,
  ForbiddenError,
  InvitationNotFoundError,
} from './account-errors.ts';
import { findUserByEmail, insertMembership, insertUser } from './accounts-repository.ts';
import type { AccountsService, ClientInfo, SessionContext, SignedIn } from './accounts-service.ts';
import * as invitations from './invitations-repository.ts';
import { hashLinkToken, looksLikeLinkToken, newLinkToken } from './link-tokens.ts';
import { findMembershipByEmail } from './members-repository.ts';
import type { PasswordHasher } from './password-hash.ts';
import { assertStrongPassword } from './password-policy.ts';
import { setPasswordHash } from './password-resets-repository.ts';

export const INVITATION_TTL_MS = 7 * 24 * 3600_000;

export interface InvitationsServiceDeps {
  db: Kysely<DatabaseSchema>;
  now: () => number;
  hasher: PasswordHasher;
  accounts: AccountsService;
  mailer: Mailer | null;
  publicUrl: string;
}

const iso = (ms: number | string) => new Date(Number(ms)).toISOString();

export class InvitationsService {
  constructor(private readonly d: InvitationsServiceDeps) {}

  async invite(actor: SessionContext, input: { email: string; role: 'admin' | 'agent' }) {
    if (actor.role === 'agent') throw new ForbiddenError('Only owners and admins can invite');
    const existing = await findMembershipByEmail(this.d.db, input.email);
    if (existing?.org_id === actor.organization.id) throw new AlreadyMemberError();
    // Users belong to one organization today; a member elsewhere cannot join a second one.
    if (existing) throw new EmailTakenError();
    const { token, hash } = newLinkToken();
    const t = this.d.now();
    const row = {
      id: randomUUID(),
      org_id: actor.organization.id,
      email: input.email,
      role: input.role,
      token_hash: hash,
      invited_by: actor.user.id,
      created_at: t,
      expires_at: t + INVITATION_TTL_MS,
    };
    await invitations.insertInvitation(this.d.db, row);
    const url = `${this.d.publicUrl}/invite/${token}`;
    const emailed = this.d.mailer
      ? await this.d.mailer.send(
          invitationMail({
            to: input.email,
            organization: actor.organization.name,
            inviter: actor.user.name ?? actor.user.email,
            role: input.role,
            url,
          }),
        )
      : false;
    return {
      invitation: { id: row.id, email: row.email, role: row.role, expires_at: iso(row.expires_at), url },
      emailed,
    };
  }

  async list(actor: SessionContext) {
    if (actor.role === 'agent') throw new ForbiddenError('Only owners and admins see invitations');
    const rows = await invitations.listPending(this.d.db, actor.organization.id, this.d.now());
    return rows.map((r) => ({ id: r.id, email: r.email, role: r.role, expires_at: iso(r.expires_at) }));
  }

  async revoke(actor: SessionContext, id: string): Promise<void> {
    if (actor.role === 'agent') throw new ForbiddenError('Only owners and admins can revoke invitations');
    if (!(await invitations.revoke(this.d.db, actor.organization.id, id, this.d.now()))) {
      throw new InvitationNotFoundError();
    }
  }

  async preview(token: string) {
    const row = looksLikeLinkToken(token)
      ? await invitations.findPendingByToken(this.d.db, hashLinkToken(token), this.d.now())
      : null;
    if (!row) throw new InvitationNotFoundError();
    return { organization: { name: row.org_name }, email: row.email, role: row.role };
  }

  async accept(
    token: string,
    input: { name: string; password: string },
    client: ClientInfo,
  ): Promise<SignedIn> {
    if (!looksLikeLinkToken(token)) throw new InvitationNotFoundError();
    assertStrongPassword(input.password);
    const passwordHash = await this.d.hasher.hash(input.password);
    const t = this.d.now();
    const userId = await this.d.db.transaction().execute(async (tx) => {
      const spent = await invitations.consume(tx, hashLinkToken(token), t);
      if (!spent) throw new InvitationNotFoundError();
      const existing = await findUserByEmail(tx, spent.email);
      const id = existing?.id ?? randomUUID();
      if (existing) {
        if (await findMembershipByEmail(tx, spent.email)) throw new AlreadyMemberError();
        await setPasswordHash(tx, existing.id, passwordHash);
        await tx.updateTable('users').set({ name: input.name }).where('id', '=', existing.id).execute();
      } else if (
        !(await insertUser(tx, {
          id,
          email: spent.email,
          password_hash: passwordHash,
          created_at: t,
          name: input.name,
        }))
      ) {
        // Signed up on their own between the invitation and now.
        throw new EmailTakenError();
      }
      await insertMembership(tx, { org_id: spent.org_id, user_id: id, role: spent.role, created_at: t });
      return id;
    });
    return this.d.accounts.startSession(userId, client);
  }
}
