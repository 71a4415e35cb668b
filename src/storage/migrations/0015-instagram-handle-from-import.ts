// Frozen in time (see 0001). Data only. Before 590f14e the history import named an Instagram person
// "@username" from the Conversations API without keeping the username as the handle, and a named
// conversation is never looked up again (profile-recheck.ts): the customer panel said "Instagram: Not
// known yet" for good. The name holds the handle: it is copied back. Only Instagram conversations with
// no handle and a name of that shape are touched; the profile lookup always writes both together, so
// no name it wrote matches.
import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await sql`update conversations set participant_handle = substr(participant_name, 2)
    where channel = 'instagram' and participant_handle is null
      and participant_name like '@%' and length(participant_name) > 1`.execute(db);
}

// The handles it filled are right ones: nothing to undo.
export async function down(): Promise<void> {}
