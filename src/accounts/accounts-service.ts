// Accounts rules: signup creates an organization with its owner; login checks the password at the
// same cost whether or not the email exists, refuses an (address, account) pair after too many failures
// (credential-attempts.ts) and upgrades a hash stored at an older cost; logout ends the session's live
// streams on every instance; owners and admins add members.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { SessionEnds } from '../live/session-ends.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import { EmailTakenError, ForbiddenError, InvalidCredentialsError } from './account-errors.ts';
import type { Role } from './accounts-repository.ts';
import * as repo from './accounts-repository.ts';
import type { CredentialAttempts } from './credential-attempts.ts';
import type { PasswordHasher } from './password-hash.ts';

export const SESSION_TTL_MS = 14 * 24 * 3600 * 1000;

export interface SessionContext {
  sessionIdHash: string;
  user: { id: string; email: string };
  organization: { id: string; name: string };
  role: Role;
}

export interface SignedIn {
  token: string;
  user: { id: string; email: string };
  organization: { id: string; name: string };
  role: Role;
}

export const hashSessionToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface AccountsServiceDeps {
  db: Kysely<DatabaseSchema>;
  now: () => number;
  hasher: PasswordHasher;
  attempts: CredentialAttempts;
  sessionEnds: SessionEnds;
}

export class AccountsService {
  private readonly db: Kysely<DatabaseSchema>;
  private readonly now: () => number;

  constructor(private readonly d: AccountsServiceDeps) {
    this.db = d.db;
    this.now = d.now;
  }

  async signup(input: { email: string; password: string; organization_name: string }): Promise<SignedIn> {
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
    return this.startSession(
      { id: userId, email: input.email },
      { id: orgId, name: input.organization_name },
      'owner',
    );
  }

  /** `address`: the client address (TRUST_PROXY applied) the failure limit is keyed by. */
  async login(input: { email: string; password: string }, address: string): Promise<SignedIn> {
    const { attempts, hasher } = this.d;
    await attempts.assertLoginAllowed(address, input.email);
    const user = await repo.findUserByEmail(this.db, input.email);
    const { ok, stale } = await hasher.verify(input.password, user?.password_hash ?? null);
    const membership = user && ok ? await repo.findMembershipOfUser(this.db, user.id) : null;
    if (!user || !membership) {
      await attempts.loginFailed(address, input.email);
      throw new InvalidCredentialsError();
    }
    await attempts.loginSucceeded(address, input.email);
    if (stale) {
      await repo.upgradePasswordHash(this.db, user.id, user.password_hash, await hasher.hash(input.password));
    }
    return this.startSession(
      { id: user.id, email: user.email },
      { id: membership.org_id, name: membership.org_name },
      membership.role,
    );
  }

  async logout(session: SessionContext): Promise<void> {
    await repo.deleteSession(this.db, session.sessionIdHash);
    await this.d.sessionEnds.session(session.organization.id, session.sessionIdHash);
  }

  async resolveSession(token: string): Promise<SessionContext | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const idHash = hashSessionToken(token);
    const row = await repo.findSession(this.db, idHash, this.now());
    if (!row) return null;
    return {
      sessionIdHash: idHash,
      user: { id: row.user_id, email: row.email },
      organization: { id: row.org_id, name: row.org_name },
      role: row.role,
    };
  }

  async addMember(
    actor: SessionContext,
    input: { email: string; password: string; role: 'admin' | 'agent' },
  ): Promise<{ user_id: string; email: string; role: Role }> {
    if (actor.role === 'agent') throw new ForbiddenError('Only owners and admins can add members');
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
    return { user_id: userId, email: input.email, role: input.role };
  }

  listMembers(actor: SessionContext) {
    return repo.listMembers(this.db, actor.organization.id);
  }

  private async startSession(
    user: SignedIn['user'],
    organization: SignedIn['organization'],
    role: Role,
  ): Promise<SignedIn> {
    const token = randomBytes(32).toString('base64url');
    const t = this.now();
    await repo.insertSession(this.db, {
      id_hash: hashSessionToken(token),
      user_id: user.id,
      org_id: organization.id,
      created_at: t,
      expires_at: t + SESSION_TTL_MS,
    });
    return { token, user, organization, role };
  }
}
