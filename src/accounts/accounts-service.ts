// Accounts rules: signup creates an organization with its owner; login checks the password at the
// same cost whether or not the email exists; owners and admins add members.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import { EmailTakenError, ForbiddenError, InvalidCredentialsError } from './account-errors.ts';
import type { Role } from './accounts-repository.ts';
import * as repo from './accounts-repository.ts';
import { decoyHash, hashPassword, verifyPassword } from './password-hash.ts';

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

export class AccountsService {
  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly now: () => number,
  ) {}

  async signup(input: { email: string; password: string; organization_name: string }): Promise<SignedIn> {
    const passwordHash = await hashPassword(input.password);
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

  async login(input: { email: string; password: string }): Promise<SignedIn> {
    const user = await repo.findUserByEmail(this.db, input.email);
    const ok = await verifyPassword(input.password, user?.password_hash ?? (await decoyHash));
    if (!user || !ok) throw new InvalidCredentialsError();
    const membership = await repo.findMembershipOfUser(this.db, user.id);
    if (!membership) throw new InvalidCredentialsError();
    return this.startSession(
      { id: user.id, email: user.email },
      { id: membership.org_id, name: membership.org_name },
      membership.role,
    );
  }

  async logout(token: string): Promise<void> {
    await repo.deleteSession(this.db, hashSessionToken(token));
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
    const passwordHash = await hashPassword(input.password);
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
