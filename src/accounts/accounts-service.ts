// Accounts rules: signup creates an organization with its owner; login checks the password at the
// same cost whether or not the email exists, refuses an (address, account) pair after too many failures
// (credential-attempts.ts), upgrades a hash stored at an older cost, and, when the member turned on
// two-factor, answers with a challenge instead of a session (two-factor-service.ts finishes it); logout
// ends the session's live streams on every instance; owners and admins add members. Every other team
// rule lives beside this file (members-, invitations-, passwords-, two-factor-, account-sessions-).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { SessionEnds } from '../live/session-ends.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import { EmailTakenError, ForbiddenError, InvalidCredentialsError } from './account-errors.ts';
import type { Role } from './accounts-repository.ts';
import * as repo from './accounts-repository.ts';
import type { CredentialAttempts } from './credential-attempts.ts';
import type { LoginChallenges } from './login-challenges.ts';
import type { PasswordHasher } from './password-hash.ts';
import { assertStrongPassword } from './password-policy.ts';

export const SESSION_TTL_MS = 14 * 24 * 3600 * 1000;
/** last_seen_at is written at most this often per session, not on every request. */
const TOUCH_EVERY_MS = 60_000;

export interface UserInfo {
  id: string;
  email: string;
  name: string | null;
  two_factor_enabled: boolean;
}
export interface OrganizationInfo {
  id: string;
  name: string;
  require_two_factor: boolean;
}

export interface SessionContext {
  sessionIdHash: string;
  user: UserInfo;
  organization: OrganizationInfo;
  role: Role;
}

export interface SignedIn {
  token: string;
  user: UserInfo;
  organization: OrganizationInfo;
  role: Role;
}

/** Where a session was started from, for the sessions list. */
export interface ClientInfo {
  userAgent: string | null;
  address: string | null;
}

export type LoginOutcome = SignedIn | { twoFactorChallenge: string };

export const hashSessionToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface AccountsServiceDeps {
  db: Kysely<DatabaseSchema>;
  now: () => number;
  hasher: PasswordHasher;
  attempts: CredentialAttempts;
  sessionEnds: SessionEnds;
  challenges: LoginChallenges;
}

export class AccountsService {
  private readonly db: Kysely<DatabaseSchema>;
  private readonly now: () => number;

  constructor(private readonly d: AccountsServiceDeps) {
    this.db = d.db;
    this.now = d.now;
  }

  async signup(
    input: { email: string; password: string; organization_name: string },
    client: ClientInfo,
  ): Promise<SignedIn> {
    assertStrongPassword(input.password);
    const passwordHash = await this.d.hasher.hash(input.password);
    const t = this.now();
    const orgId = randomUUID();
    const userId = randomUUID();
    await this.db.transaction().execute(async (tx) => {
      await repo.insertOrganization(tx, { id: orgId, name: input.organization_name, created_at: t });
      const inserted = await repo.insertUser(tx, {
        id: userId,
        email: input.email,
        password_hash: passwordHash,
        created_at: t,
      });
      if (!inserted) throw new EmailTakenError();
      await repo.insertMembership(tx, { org_id: orgId, user_id: userId, role: 'owner', created_at: t });
    });
    return this.startSession(userId, client);
  }

  /** `client.address`: the client address (TRUST_PROXY applied) the failure limit is keyed by. */
  async login(input: { email: string; password: string }, client: ClientInfo): Promise<LoginOutcome> {
    const { attempts, hasher } = this.d;
    const address = client.address ?? '';
    await attempts.assertLoginAllowed(address, input.email);
    const user = await repo.findUserByEmail(this.db, input.email);
    const { ok, stale } = await hasher.verify(input.password, user?.password_hash ?? null);
    const membership = user && ok ? await repo.findMembershipOfUser(this.db, user.id) : null;
    if (!user || !membership) {
      await attempts.loginFailed(address, input.email);
      throw new InvalidCredentialsError();
    }
    if (stale) {
      await repo.upgradePasswordHash(this.db, user.id, user.password_hash, await hasher.hash(input.password));
    }
    if (user.totp_secret_sealed) {
      // The failure count is reset only when the code is right too (two-factor-service.ts).
      return { twoFactorChallenge: await this.d.challenges.create(user.id, user.email) };
    }
    await attempts.loginSucceeded(address, input.email);
    return this.startSession(user.id, client);
  }

  async logout(session: SessionContext): Promise<void> {
    await repo.deleteSession(this.db, session.sessionIdHash);
    await this.d.sessionEnds.session(session.organization.id, session.sessionIdHash);
  }

  async resolveSession(token: string): Promise<SessionContext | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const idHash = hashSessionToken(token);
    const t = this.now();
    const row = await repo.findSession(this.db, idHash, t);
    if (!row) return null;
    if (row.last_seen_at === null || t - Number(row.last_seen_at) >= TOUCH_EVERY_MS) {
      await repo.touchSession(this.db, idHash, t);
    }
    return {
      sessionIdHash: idHash,
      user: {
        id: row.user_id,
        email: row.email,
        name: row.name,
        two_factor_enabled: row.totp_secret_sealed !== null,
      },
      organization: {
        id: row.org_id,
        name: row.org_name,
        require_two_factor: Number(row.require_two_factor) === 1,
      },
      role: row.role,
    };
  }

  async updateName(session: SessionContext, name: string): Promise<SessionContext> {
    await repo.setUserName(this.db, session.user.id, name);
    return { ...session, user: { ...session.user, name } };
  }

  async addMember(
    actor: SessionContext,
    input: { email: string; password: string; role: 'admin' | 'agent' },
  ): Promise<{ user_id: string; email: string; name: string | null; role: Role }> {
    if (actor.role === 'agent') throw new ForbiddenError('Only owners and admins can add members');
    assertStrongPassword(input.password);
    const passwordHash = await this.d.hasher.hash(input.password);
    const t = this.now();
    const userId = randomUUID();
    await this.db.transaction().execute(async (tx) => {
      const inserted = await repo.insertUser(tx, {
        id: userId,
        email: input.email,
        password_hash: passwordHash,
        created_at: t,
      });
      if (!inserted) throw new EmailTakenError();
      await repo.insertMembership(tx, {
        org_id: actor.organization.id,
        user_id: userId,
        role: input.role,
        created_at: t,
      });
    });
    return { user_id: userId, email: input.email, name: null, role: input.role };
  }

  listMembers(actor: SessionContext) {
    return repo.listMembers(this.db, actor.organization.id);
  }

  /** A new session for a user whose credentials were just proven (login, 2FA step, invitation accept). */
  async startSession(userId: string, client: ClientInfo): Promise<SignedIn> {
    const token = randomBytes(32).toString('base64url');
    const t = this.now();
    const user = await repo.findUserById(this.db, userId);
    const membership = user ? await repo.findMembershipOfUser(this.db, userId) : null;
    if (!user || !membership) throw new InvalidCredentialsError();
    await repo.insertSession(this.db, {
      id_hash: hashSessionToken(token),
      user_id: userId,
      org_id: membership.org_id,
      created_at: t,
      expires_at: t + SESSION_TTL_MS,
      last_seen_at: t,
      user_agent: client.userAgent?.slice(0, 400) ?? null,
      ip_address: client.address,
    });
    return {
      token,
      user: {
        id: user.id,
        email: user.email,
        name: user.name,
        two_factor_enabled: user.totp_secret_sealed !== null,
      },
      organization: {
        id: membership.org_id,
        name: membership.org_name,
        require_two_factor: Number(membership.require_two_factor) === 1,
      },
      role: membership.role,
    };
  }
}
