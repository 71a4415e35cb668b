// Marks a conversation read (POST …/read) when it opens, and again whenever a customer writes while it
// is open. One request at a time per conversation, and a request asked for meanwhile runs once it ends:
// a burst of messages costs two requests, not one each, and the last answer is never an older one.
import { type Dispatch, useCallback, useRef } from 'react';
import type { MarkReadResponse } from '../api/contract.ts';
import { apiPost } from '../api/request.ts';
import { conversationPath } from './inbox-paths.ts';
import type { InboxAction } from './inbox-state.ts';

export function useMarkRead(dispatch: Dispatch<InboxAction>): (conversationId: string) => void {
  const reading = useRef<{ id: string; again: boolean } | null>(null);
  const markRead = useCallback(
    (id: string) => {
      if (reading.current?.id === id) {
        reading.current.again = true;
        return;
      }
      const ticket = { id, again: false };
      reading.current = ticket;
      apiPost<MarkReadResponse>(conversationPath(id, '/read'))
        .then(
          ({ conversation }) => dispatch({ type: 'conversation/updated', conversation }),
          // Not worth interrupting the agent: the unread count just stays until the next try.
          () => {},
        )
        .finally(() => {
          if (reading.current === ticket) reading.current = null;
          if (ticket.again) markRead(id);
        });
    },
    [dispatch],
  );
  return markRead;
}
