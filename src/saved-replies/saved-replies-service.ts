// Saved replies (issue 12 item 8): any member lists them, owners and admins write them. Titles are
// 1–80 characters, unique per organization regardless of case (the database settles races: R28); the
// text is 1–2,000 characters, Messenger's limit. Instagram accepts 1,000: a longer saved reply can still
// be inserted there, and the composer's counter refuses to send it until it is shortened.
//
// The list is sorted and filtered here rather than in SQL: an organization keeps tens to hundreds of
// them (at most SAVED_REPLIES_MAX, which keeps that true and the list a bounded download), and this
// keeps the case- and accent-insensitive match and the order identical on SQLite and PostgreSQL (whose
// collations differ).
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ForbiddenError } from '../accounts/account-errors.ts';
import type { SessionContext } from '../accounts/accounts-service.ts';
import { TEXT_LIMITS } from '../contract.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import { isUniqueViolation } from '../storage/unique-violation.ts';
import {
  InvalidSavedReplyTextError,
  InvalidSavedReplyTitleError,
  SavedRepliesLimitError,
  SavedReplyNotFoundError,
  SavedReplyTitleTakenError,
} from './saved-replies-errors.ts';
import * as repo from './saved-replies-repository.ts';

export const TITLE_MAX = 80;
export const SAVED_TEXT_MAX = TEXT_LIMITS.messenger;
/**
 * Saved replies an organization may keep. Checked before the insert, so two admins adding the last one
 * at the same moment may end one over: the cap bounds the list's size, it is not an invariant.
 */
export const SAVED_REPLIES_MAX = 500;

export interface SavedReply {
  id: string;
  title: string;
  text: string;
  updated_at: string;
}

const view = (row: repo.SavedReplyRow): SavedReply => ({
  id: row.id,
  title: row.title,
  text: row.text,
  updated_at: new Date(row.updated_at).toISOString(),
});

/** Lower case without accents, so "cafe" finds "Café" and "RETURN" finds "Return policy". */
const folded = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

const byTitle = (a: repo.SavedReplyRow, b: repo.SavedReplyRow) =>
  a.title.localeCompare(b.title, 'en', { sensitivity: 'base' }) || (a.id < b.id ? -1 : 1);

function checkedTitle(raw: string): string {
  const title = raw.trim();
  if (!title) throw new InvalidSavedReplyTitleError('Enter a title');
  if (title.length > TITLE_MAX)
    throw new InvalidSavedReplyTitleError(`Use at most ${TITLE_MAX} characters for the title`);
  if (/[\r\n]/.test(title)) throw new InvalidSavedReplyTitleError('Keep the title on one line');
  return title;
}

function checkedText(raw: string): string {
  const text = raw.trim();
  if (!text) throw new InvalidSavedReplyTextError('Enter the text of the reply');
  if (text.length > SAVED_TEXT_MAX) {
    throw new InvalidSavedReplyTextError(
      `Use at most ${SAVED_TEXT_MAX.toLocaleString('en')} characters (Messenger's limit); this text has ${text.length.toLocaleString('en')}`,
    );
  }
  return text;
}

function mustManage(actor: SessionContext): void {
  if (actor.role === 'agent') throw new ForbiddenError('Only owners and admins can change saved replies');
}

export class SavedRepliesService {
  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly now: () => number,
  ) {}

  /** Ordered by title; `q` keeps those whose title or text contains it (any case, any accents). */
  async list(actor: SessionContext, q?: string): Promise<SavedReply[]> {
    const rows = await repo.listSavedReplies(this.db, actor.organization.id);
    const needle = folded(q?.trim() ?? '');
    const kept = needle
      ? rows.filter((r) => folded(r.title).includes(needle) || folded(r.text).includes(needle))
      : rows;
    return kept.sort(byTitle).map(view);
  }

  async create(actor: SessionContext, input: { title: string; text: string }): Promise<SavedReply> {
    mustManage(actor);
    const title = checkedTitle(input.title);
    const text = checkedText(input.text);
    if ((await repo.countSavedReplies(this.db, actor.organization.id)) >= SAVED_REPLIES_MAX)
      throw new SavedRepliesLimitError(SAVED_REPLIES_MAX);
    const at = this.now();
    const row = { id: randomUUID(), title, text, updated_at: at };
    await this.settled(() =>
      repo.insertSavedReply(this.db, {
        ...row,
        org_id: actor.organization.id,
        title_key: title.toLowerCase(),
        created_by: actor.user.id,
        created_at: at,
      }),
    );
    return view(row);
  }

  async update(
    actor: SessionContext,
    id: string,
    input: { title?: string | undefined; text?: string | undefined },
  ): Promise<SavedReply> {
    mustManage(actor);
    const title = input.title === undefined ? undefined : checkedTitle(input.title);
    const text = input.text === undefined ? undefined : checkedText(input.text);
    const row = await this.settled(() =>
      repo.updateSavedReply(this.db, actor.organization.id, id, {
        ...(title === undefined ? {} : { title, title_key: title.toLowerCase() }),
        ...(text === undefined ? {} : { text }),
        updated_at: this.now(),
      }),
    );
    if (!row) throw new SavedReplyNotFoundError();
    return view(row);
  }

  async remove(actor: SessionContext, id: string): Promise<void> {
    mustManage(actor);
    if (!(await repo.deleteSavedReply(this.db, actor.organization.id, id)))
      throw new SavedReplyNotFoundError();
  }

  /** The unique index decides a duplicate title, also between two admins saving at the same moment. */
  private async settled<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (err) {
      if (isUniqueViolation(err)) throw new SavedReplyTitleTakenError();
      throw err;
    }
  }
}
