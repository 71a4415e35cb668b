// The Account page's sessions list: where you are signed in (device from the User-Agent, address,
// last seen), and signing any of them out. A session's public id is its stored hash (SHA-256 of the
// cookie's token), which cannot be turned back into a cookie and is shown to its own user only.
import type { Kysely } from 'kysely';
import type { SessionEnds } from '../live/session-ends.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import { SessionNotFoundError } from './account-errors.ts';
import type { SessionContext } from './accounts-service.ts';
import { deviceLabel } from './device-label.ts';
import { deleteUserSession, listUserSessions } from './sessions-repository.ts';

const iso = (ms: number | string | null) => new Date(Number(ms)).toISOString();

export class AccountSessionsService {
  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly now: () => number,
    private readonly sessionEnds: SessionEnds,
  ) {}

  async list(session: SessionContext) {
    const rows = await listUserSessions(this.db, session.user.id, this.now());
    return rows.map((r) => ({
      id: r.id_hash,
      device: deviceLabel(r.user_agent),
      address: r.ip_address,
      created_at: iso(r.created_at),
      last_seen_at: iso(r.last_seen_at ?? r.created_at),
      current: r.id_hash === session.sessionIdHash,
    }));
  }

  async signOut(session: SessionContext, id: string): Promise<void> {
    const ended = await deleteUserSession(this.db, session.user.id, id);
    if (!ended) throw new SessionNotFoundError();
    await this.sessionEnds.session(ended.org_id, ended.id_hash);
  }
}
