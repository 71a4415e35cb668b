// Frozen in time (see 0001). Data only. Until e0e37ba a reply that Meta failed kept Meta's failure as it
// is worded for admins beside a connection (describeGraphFailure). For an outage that read "…; retrying."
// and for rate limiting "…; retrying shortly.", but a reply is never sent again by Parley: the agent
// sends it again. Since then `messages.error` holds the words the reply's sender was answered with, which
// message views show as `failure_reason`. Those two wordings are replaced with that answer, as
// MetaUnavailableError words it today (copied here, not imported: a migration does not change when the
// app's wording does). The other old wordings are still true, and are kept.
import { type Kysely, sql } from 'kysely';

const NOT_SENT_META_UNAVAILABLE =
  'Meta could not be reached or is busy; the message was not sent. Try again in a moment';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await sql`update messages set error = ${NOT_SENT_META_UNAVAILABLE}
    where direction = 'outbound' and status = 'failed'
      and (error like 'Meta could not be reached or had a temporary problem%; retrying.'
        or error like 'Meta is rate limiting requests%; retrying shortly.')`.execute(db);
}

// The old wording said something untrue; there is nothing to put back.
export async function down(): Promise<void> {}
