// Cursor paging as Graph does it (reference §4): `limit` (default 25, at most 100), opaque `after` /
// `before` cursors, and an absolute `paging.next` only while more items remain — its absence is the
// end signal. Cursors encode the boundary item's id, so they stay valid while the list is unchanged.
import { invalidParameter } from './graph-errors.ts';
import { type GraphParams, intParam, stringParam } from './graph-params.ts';

export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 100;

export interface Paged<T> {
  items: T[];
  limit: number;
  cursors: { before: string; after: string } | null;
  hasNext: boolean;
  hasPrevious: boolean;
}

const encodeCursor = (id: string) => Buffer.from(id, 'utf8').toString('base64url');
const decodeCursor = (cursor: string) => Buffer.from(cursor, 'base64url').toString('utf8');

export function paginate<T>(all: T[], idOf: (item: T) => string, params: GraphParams): Paged<T> {
  const limit = Math.min(MAX_LIMIT, Math.max(1, intParam(params, 'limit') ?? DEFAULT_LIMIT));
  const indexOf = (cursor: string) => {
    const index = all.findIndex((item) => idOf(item) === decodeCursor(cursor));
    if (index === -1) throw invalidParameter('Invalid cursor');
    return index;
  };
  const after = stringParam(params, 'after');
  const before = stringParam(params, 'before');
  let start = 0;
  if (after) start = indexOf(after) + 1;
  else if (before) start = Math.max(0, indexOf(before) - limit);
  const end = before && !after ? indexOf(before) : Math.min(all.length, start + limit);
  const items = all.slice(start, end);
  const first = items[0];
  const last = items[items.length - 1];
  return {
    items,
    limit,
    cursors: first && last ? { before: encodeCursor(idOf(first)), after: encodeCursor(idOf(last)) } : null,
    hasNext: end < all.length,
    hasPrevious: start > 0,
  };
}

/** Meta keeps the caller's credentials and field selection in the paging URLs it hands back. */
const KEPT_PARAMS = ['access_token', 'fields', 'appsecret_proof'];

export function pagingBlock<T>(paged: Paged<T>, baseUrl: string, path: string, params: GraphParams) {
  if (!paged.cursors) return undefined;
  const link = (cursorName: 'after' | 'before', cursor: string) => {
    const qs = new URLSearchParams();
    for (const name of KEPT_PARAMS) {
      const value = stringParam(params, name);
      if (value !== null) qs.set(name, value);
    }
    qs.set('limit', String(paged.limit));
    qs.set(cursorName, cursor);
    return `${baseUrl}${path}?${qs.toString()}`;
  };
  return {
    cursors: paged.cursors,
    ...(paged.hasPrevious ? { previous: link('before', paged.cursors.before) } : {}),
    ...(paged.hasNext ? { next: link('after', paged.cursors.after) } : {}),
  };
}
