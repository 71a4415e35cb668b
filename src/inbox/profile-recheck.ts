// When a conversation's person is looked up (participant-profiles.ts): no name yet, and not tried within
// the hour, so a person whose profile Meta withholds costs one Graph call an hour, not one per message.
// Apart from the lookups themselves because the processor thread checks it where messages arrive, and
// it should not load the Graph client to do so.

const RECHECK_MS = 3600_000;

export function needsProfile(
  conv: { participant_name: string | null; profile_checked_at: number | null },
  now: number,
): boolean {
  return (
    conv.participant_name === null &&
    (conv.profile_checked_at === null || now - conv.profile_checked_at >= RECHECK_MS)
  );
}
