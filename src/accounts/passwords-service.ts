// Passwords (CONTRACT §3): change your own (the current one required; every other session ends),
// one-hour single-use reset links issued by an admin or, with SMTP_URL, e-mailed on "Forgot password?"
// (the same answer whether or not the email has an account), and resetting with such a link (every
// session of that user ends).
import type { Kysely } from 'kysely';
import type { SessionEnds } from '../live/session-ends.ts';
import { passwordResetMail } from '../mail/account-mail.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import { InvalidCredentialsError, ResetLinkInvalidError } from './account-errors.ts';
import { findUserByEmail, findUserById } from './accounts-repository.ts';
import type { SessionContext } from './accounts-service.ts';
import { hashLinkToken, looksLikeLinkToken, newLinkToken } from './link-tokens.ts';
import type { MembersService } from './members-service.ts';
import type { PasswordHasher } from './password-hash.ts';
import { assertStrongPassword } from './password-policy.ts';
import * as resets from './password-resets-repository.ts';
import { endUserSessions } from './session-endings.ts';

export const RESET_LINK_TTL_MS = 3600_000;

export class MailNotConfiguredError extends Error {
  constructor() {
    super(
      'E-mail is not set up on this Parley. Ask an owner or admin of your organization for a reset link.',
    );
    this.name = 'MailNotConfiguredError';
  }
}

export interface PasswordsServiceDeps {
  db: Kysely<DatabaseSchema>;
  now: () => number;
  hasher: PasswordHasher;
  sessionEnds: SessionEnds;
  members: MembersService;
  mailer: Mailer | null;
  publicUrl: string;
}

export class PasswordsService {
  constructor(private readonly d: PasswordsServiceDeps) {}

  async change(session: SessionContext, input: { current_password: string; new_password: string }) {
    const { db, hasher } = this.d;
    const user = await findUserById(db, session.user.id);
    const { ok } = await hasher.verify(input.current_password, user?.password_hash ?? null);
    if (!user || !ok) throw new InvalidCredentialsError();
    assertStrongPassword(input.new_password);
    await resets.setPasswordHash(db, user.id, await hasher.hash(input.new_password));
    await endUserSessions(db, this.d.sessionEnds, user.id, session.sessionIdHash);
  }

  /** An owner or admin issues a reset link for a member (also e-mailed with SMTP_URL). */
  async issueForMember(actor: SessionContext, userId: string) {
    const target = await this.d.members.manageable(this.d.db, actor, userId);
    const link = await this.issue(target.user_id);
    const emailed = this.d.mailer
      ? await this.d.mailer.send(passwordResetMail({ to: target.email, url: link.url }))
      : false;
    return { ...link, emailed };
  }

  /** "Forgot password?": mails a link when the account exists; says nothing either way. */
  async forgot(email: string): Promise<void> {
    const { mailer } = this.d;
    if (!mailer) throw new MailNotConfiguredError();
    const user = await findUserByEmail(this.d.db, email);
    if (!user) return;
    const link = await this.issue(user.id);
    // Not awaited: an SMTP round trip only for existing accounts would tell them apart by timing.
    void mailer.send(passwordResetMail({ to: user.email, url: link.url }));
  }

  async reset(input: { token: string; new_password: string }): Promise<void> {
    const { db, hasher, now } = this.d;
    if (!looksLikeLinkToken(input.token)) throw new ResetLinkInvalidError();
    assertStrongPassword(input.new_password);
    const passwordHash = await hasher.hash(input.new_password);
    const spent = await db.transaction().execute(async (tx) => {
      const row = await resets.consumePasswordReset(tx, hashLinkToken(input.token), now());
      if (row) await resets.setPasswordHash(tx, row.user_id, passwordHash);
      return row;
    });
    if (!spent) throw new ResetLinkInvalidError();
    await endUserSessions(db, this.d.sessionEnds, spent.user_id);
  }

  private async issue(userId: string) {
    const { token, hash } = newLinkToken();
    const t = this.d.now();
    const expiresAt = t + RESET_LINK_TTL_MS;
    await resets.insertPasswordReset(this.d.db, {
      token_hash: hash,
      user_id: userId,
      created_at: t,
      expires_at: expiresAt,
    });
    return {
      url: `${this.d.publicUrl}/reset-password/${token}`,
      expires_at: new Date(expiresAt).toISOString(),
    };
  }
}
