// The Mine and Unassigned counts beside the list's filters (GET /api/conversations/counts): asked once,
// then again after conversations change (`recount`), at most once a second: a busy inbox changes many
// conversations a second, and the numbers need not follow each one.
import { useEffect } from 'react';
import type { ConversationCounts } from '../api/contract.ts';
import { useApi } from '../api/use-api.ts';
import { useThrottledVersion } from '../ui/use-throttled-version.ts';

const RECOUNT_DELAY_MS = 1000;

export function useConversationCounts(): { counts: ConversationCounts | null; recount: () => void } {
  const resource = useApi<ConversationCounts>('/api/conversations/counts');
  const { reload } = resource;
  const [version, recount] = useThrottledVersion(RECOUNT_DELAY_MS);
  useEffect(() => {
    if (version > 0) reload();
  }, [version, reload]);
  // Without their numbers the views still work; the next change asks again.
  return { counts: resource.status === 'ready' ? resource.data : null, recount };
}
