// Ends sessions for good: rows first, then their live streams on every instance (in that order, so a
// stream that reconnects at once is refused: session-ends.ts).
import type { Kysely } from 'kysely';
import type { SessionEnds } from '../live/session-ends.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import { deleteUserSessions } from './sessions-repository.ts';

export async function endUserSessions(
  db: Kysely<DatabaseSchema>,
  sessionEnds: SessionEnds,
  userId: string,
  keep: string | null = null,
): Promise<void> {
  const ended = await deleteUserSessions(db, userId, keep);
  if (keep === null) {
    for (const orgId of new Set(ended.map((s) => s.org_id))) await sessionEnds.user(orgId, userId);
  } else {
    for (const s of ended) await sessionEnds.session(s.org_id, s.id_hash);
  }
}
