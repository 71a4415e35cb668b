// Frozen in time (see 0001). Data only. Until this change the history import named an Instagram person
// "@username" (the Conversations API gives nothing more), and a named conversation is never looked up
// again (profile-recheck.ts), so their real name and picture never came. Such names are cleared: the
// inbox shows the handle meanwhile ("@username", as before), and the person's next message brings the
// lookup. Only Instagram names that are exactly "@" and the handle are cleared; a lookup that found no
// name writes the same shape, and clearing it costs that person one more lookup, once.
import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await sql`update conversations set participant_name = null
    where channel = 'instagram' and participant_handle is not null
      and participant_name = '@' || participant_handle`.execute(db);
}

// The names it cleared are shown the same way (from the handle) and come back better from the lookup.
export async function down(): Promise<void> {}
