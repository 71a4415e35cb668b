// Opaque keyset cursors: the (time, id) of the last item of a page, so the next page starts strictly
// after it whatever is inserted meanwhile. Never an offset, never a row count.
import { InvalidCursorError } from './inbox-errors.ts';

export interface CursorKey {
  at: number;
  id: string;
}

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(`${key.at}.${key.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): CursorKey | null {
  if (cursor === undefined || cursor === '') return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^(\d{1,16})\.([0-9a-f-]{36})$/.exec(text);
  if (!match) throw new InvalidCursorError();
  return { at: Number(match[1]), id: match[2]! };
}
