// Keeps and serves media bytes (issue 13): runs the download jobs (media-requests.ts enqueues them),
// tells the owner of a file when it is settled (stored, or failed for good), serves a file to members
// of its organization, stores agents' uploads, and removes files with their data. It knows nothing of
// Meta payloads or messages: an owner is an opaque string the inbox gave it.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import { newRowId } from '../storage/row-id.ts';
import type { MediaHosts } from './media-hosts.ts';
import type { MediaRow } from './media-repository.ts';
import * as repo from './media-repository.ts';
import { sniffContentType } from './media-sniff.ts';
import type { MediaStore } from './media-store.ts';
import { MediaRefusedError, type Resolver, safeDownload } from './safe-download.ts';

/** A download job tried this many times gives up and the file is "no longer available". */
export const MEDIA_MAX_ATTEMPTS = 5;

export class MediaNotFoundError extends Error {
  constructor() {
    super('No such file');
    this.name = 'MediaNotFoundError';
  }
}

export type MediaSettled = (row: MediaRow) => Promise<void>;

export interface MediaServiceDeps {
  db: Kysely<DatabaseSchema>;
  store: MediaStore;
  hosts: MediaHosts;
  resolve?: Resolver;
  logger: Logger;
  now: () => number;
}

export class MediaService {
  private readonly listeners: MediaSettled[] = [];

  constructor(private readonly d: MediaServiceDeps) {}

  /** Called after a file is stored or has failed for good (the inbox updates its message). */
  onSettled(listener: MediaSettled): void {
    this.listeners.push(listener);
  }

  /** The job handler: throws to be retried (with the runner's backoff), returns when settled. */
  async runDownload(payload: unknown, attempt: number): Promise<void> {
    const id = (payload as { media_id?: unknown }).media_id;
    if (typeof id !== 'string') return;
    const row = await repo.findMediaById(this.d.db, id);
    if (row?.status !== 'pending' || !row.source_url) return;
    try {
      const got = await safeDownload(row.source_url, { hosts: this.d.hosts, resolve: this.d.resolve });
      const contentType = await sniffContentType(got.bytes, got.contentType);
      await this.d.store.put(row.org_id, row.id, got.bytes);
      const stored = await repo.updateMedia(this.d.db, row.id, {
        status: 'stored',
        content_type: contentType,
        size: got.bytes.length,
        name: row.name ?? got.name,
        attempts: attempt,
        error: null,
        updated_at: this.d.now(),
      });
      if (stored) await this.settled(stored);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const permanent = err instanceof MediaRefusedError || attempt >= MEDIA_MAX_ATTEMPTS;
      this.d.logger.warn({ mediaId: row.id, attempt, permanent, reason: message }, 'media download failed');
      if (!permanent) {
        await repo.updateMedia(this.d.db, row.id, {
          attempts: attempt,
          error: message,
          updated_at: this.d.now(),
        });
        throw err;
      }
      const failed = await repo.updateMedia(this.d.db, row.id, {
        status: 'failed',
        attempts: attempt,
        error: message.slice(0, 200),
        updated_at: this.d.now(),
      });
      if (failed) await this.settled(failed);
    }
  }

  private async settled(row: MediaRow): Promise<void> {
    for (const listener of this.listeners) {
      try {
        await listener(row);
      } catch (err) {
        this.d.logger.error({ err, mediaId: row.id }, 'media listener failed');
      }
    }
  }

  /** An organization member reads a stored file; anything else is "not found" (never 403). */
  async read(orgId: string, id: string): Promise<{ row: MediaRow; bytes: Buffer }> {
    const row = await repo.findMedia(this.d.db, orgId, id);
    if (row?.status !== 'stored') throw new MediaNotFoundError();
    const bytes = await this.d.store.get(orgId, id);
    if (!bytes) throw new MediaNotFoundError();
    return { row, bytes };
  }

  /** Reads a stored file for a signed link (Meta fetching an agent's upload); null when gone. */
  async readById(id: string): Promise<{ row: MediaRow; bytes: Buffer } | null> {
    const row = await repo.findMediaById(this.d.db, id);
    if (row?.status !== 'stored') return null;
    const bytes = await this.d.store.get(row.org_id, id);
    return bytes ? { row, bytes } : null;
  }

  /** An agent's upload, stored at once. */
  async storeUpload(
    orgId: string,
    owner: string,
    accountId: string | null,
    file: { bytes: Buffer; contentType: string; name: string | null },
  ): Promise<MediaRow> {
    const now = this.d.now();
    const row: MediaRow = {
      id: newRowId(),
      org_id: orgId,
      owner,
      account_id: accountId,
      source_url: null,
      status: 'stored',
      content_type: file.contentType,
      size: file.bytes.length,
      name: file.name,
      attempts: 0,
      error: null,
      created_at: now,
      updated_at: now,
    };
    await this.d.store.put(orgId, row.id, file.bytes);
    await repo.insertMedia(this.d.db, [row]);
    return row;
  }

  /**
   * Data deletion (one connection's files, by account) or organization deletion (all of them). Owners
   * hear of each file as failed, so what held it says "media no longer available".
   */
  async purge(orgId: string, accountId?: string): Promise<number> {
    const rows = await repo.deleteMedia(this.d.db, { orgId, accountId });
    await this.d.store.delete(
      orgId,
      rows.map((r) => r.id),
    );
    if (accountId === undefined) await this.d.store.deleteOrg(orgId);
    for (const row of rows) await this.settled({ ...row, status: 'failed', error: 'deleted' });
    return rows.length;
  }

  /**
   * Files of organizations that no longer exist (their rows went with them, ON DELETE CASCADE), and
   * files whose row was forgotten: removed from the file store. Run periodically. A file being written
   * gets its row only after its bytes (storeUpload) or already has one (downloads), so only `.part`
   * files, which the listing skips, could be caught mid-way.
   */
  async sweepDeletedOrganizations(): Promise<number> {
    const orgIds = await this.d.store.listOrgs();
    if (orgIds.length === 0) return 0;
    const existing = new Set(
      (await this.d.db.selectFrom('organizations').select('id').where('id', 'in', orgIds).execute()).map(
        (r) => r.id,
      ),
    );
    const gone = orgIds.filter((id) => !existing.has(id));
    for (const id of gone) await this.d.store.deleteOrg(id);
    // Files whose rows were forgotten (unsent messages) in the organizations that remain.
    for (const orgId of orgIds.filter((id) => existing.has(id))) {
      const files = await this.d.store.listFiles(orgId);
      if (files.length === 0) continue;
      const kept = new Set<string>();
      for (let i = 0; i < files.length; i += 500) {
        const rows = await this.d.db
          .selectFrom('media')
          .select('id')
          .where('org_id', '=', orgId)
          .where('id', 'in', files.slice(i, i + 500))
          .execute();
        for (const r of rows) kept.add(r.id);
      }
      await this.d.store.delete(
        orgId,
        files.filter((f) => !kept.has(f)),
      );
    }
    return gone.length;
  }
}
