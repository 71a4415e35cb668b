// The Mine and Unassigned counts beside the list's filters (GET /api/conversations/counts): asked once,
// then again after conversations change (`recount`), at most once a second: a busy inbox changes many
// conversations a second, and the numbers need not follow each one.
import { useEffect, useState } from 'react';
import type { ConversationCounts } from '../api/contract.ts';
import { apiGet } from '../api/request.ts';
import { useThrottledVersion } from '../ui/use-throttled-version.ts';

const RECOUNT_DELAY_MS = 1000;

export function useConversationCounts(): { counts: ConversationCounts | null; recount: () => void } {
  const [counts, setCounts] = useState<ConversationCounts | null>(null);
  const [version, recount] = useThrottledVersion(RECOUNT_DELAY_MS);
  // biome-ignore lint/correctness/useExhaustiveDependencies: each new version asks again.
  useEffect(() => {
    const controller = new AbortController();
    apiGet<ConversationCounts>('/api/conversations/counts', controller.signal).then(
      (answer) => {
        if (!controller.signal.aborted) setCounts(answer);
      },
      // The views still work without their numbers; the next change tries again.
      () => {},
    );
    return () => controller.abort();
  }, [version]);
  return { counts, recount };
}
