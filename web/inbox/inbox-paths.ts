// The inbox's API addresses, built in one place: the list's, with only the parameters that differ from
// the server's defaults (so the common request stays `/api/conversations`), and one conversation's.
import type { ApiPath } from '../api/request.ts';
import type { ListQuery } from './inbox-state.ts';

/** The list's request; parameters at their server defaults (Open, most recent) are left out. */
export function conversationsPath(query: ListQuery, cursor?: string | null): ApiPath {
  const params = new URLSearchParams();
  if (query.channel !== 'all') params.set('channel', query.channel);
  if (query.status !== 'open') params.set('status', query.status);
  if (query.sort !== 'recent') params.set('sort', query.sort);
  if (query.q.trim() !== '') params.set('q', query.q.trim());
  if (query.assignee !== 'any') params.set('assignee', query.assignee);
  if (cursor) params.set('cursor', cursor);
  const search = params.toString();
  return search ? `/api/conversations?${search}` : '/api/conversations';
}

export function conversationPath(
  id: string,
  rest: '' | '/messages' | '/read' | '/notes',
  cursor?: string | null,
): ApiPath {
  const path: ApiPath = `/api/conversations/${encodeURIComponent(id)}${rest}`;
  return cursor ? `${path}?${new URLSearchParams({ cursor })}` : path;
}
