// Where media bytes live (MEDIA_STORE, CONTRACT §2): a folder (default), or the app's own database so
// that every instance on one PostgreSQL serves the same files. Files are at most 25 MB, so whole
// buffers are fine and a range is a slice.
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../storage/database-schema.ts';

export interface MediaStore {
  put(orgId: string, id: string, bytes: Buffer): Promise<void>;
  get(orgId: string, id: string): Promise<Buffer | null>;
  delete(orgId: string, ids: string[]): Promise<void>;
  /** Everything of an organization (its deletion). */
  deleteOrg(orgId: string): Promise<void>;
  /** Organizations that have files here (the sweep compares them with the database). */
  listOrgs(): Promise<string[]>;
  /** The file ids kept for an organization (the sweep removes those without a row). */
  listFiles(orgId: string): Promise<string[]>;
}

/** Ids are our UUIDs and org ids are ours too, so they are safe path segments; checked anyway. */
const SAFE = /^[A-Za-z0-9_-]{1,100}$/;

export class FileMediaStore implements MediaStore {
  constructor(private readonly dir: string) {}

  private path(orgId: string, id?: string): string {
    if (!SAFE.test(orgId) || (id !== undefined && !SAFE.test(id))) throw new Error('unsafe media path');
    return id === undefined ? join(this.dir, orgId) : join(this.dir, orgId, id);
  }

  async put(orgId: string, id: string, bytes: Buffer): Promise<void> {
    await mkdir(this.path(orgId), { recursive: true });
    // Written under a temporary name, then renamed: a reader never sees half a file.
    const final = this.path(orgId, id);
    await writeFile(`${final}.part`, bytes);
    await rename(`${final}.part`, final);
  }

  async get(orgId: string, id: string): Promise<Buffer | null> {
    try {
      return await readFile(this.path(orgId, id));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async delete(orgId: string, ids: string[]): Promise<void> {
    for (const id of ids) await rm(this.path(orgId, id), { force: true });
  }

  async deleteOrg(orgId: string): Promise<void> {
    await rm(this.path(orgId), { recursive: true, force: true });
  }

  /** Files older than a minute: a file just written may not have its row yet (storeUpload). */
  async listFiles(orgId: string): Promise<string[]> {
    try {
      const names = (await readdir(this.path(orgId))).filter((name) => SAFE.test(name));
      const old: string[] = [];
      for (const name of names) {
        const info = await stat(this.path(orgId, name)).catch(() => null);
        if (info && Date.now() - info.mtimeMs > 60_000) old.push(name);
      }
      return old;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  async listOrgs(): Promise<string[]> {
    try {
      return (await readdir(this.dir, { withFileTypes: true }))
        .filter((e) => e.isDirectory() && SAFE.test(e.name))
        .map((e) => e.name);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }
}

export class DatabaseMediaStore implements MediaStore {
  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  async put(_orgId: string, id: string, bytes: Buffer): Promise<void> {
    await this.db
      .insertInto('media_bytes')
      .values({ media_id: id, base64: bytes.toString('base64') })
      .onConflict((oc) => oc.column('media_id').doUpdateSet({ base64: bytes.toString('base64') }))
      .execute();
  }

  async get(_orgId: string, id: string): Promise<Buffer | null> {
    const row = await this.db
      .selectFrom('media_bytes')
      .select('base64')
      .where('media_id', '=', id)
      .executeTakeFirst();
    return row ? Buffer.from(row.base64, 'base64') : null;
  }

  async delete(_orgId: string, ids: string[]): Promise<void> {
    if (ids.length > 0) await this.db.deleteFrom('media_bytes').where('media_id', 'in', ids).execute();
  }

  // media_bytes rows go with their media rows (ON DELETE CASCADE from the organization down).
  async deleteOrg(): Promise<void> {}

  async listOrgs(): Promise<string[]> {
    return [];
  }

  async listFiles(): Promise<string[]> {
    return [];
  }
}

export function createMediaStore(
  setting: { kind: 'file'; dir: string } | { kind: 'database' },
  db: Kysely<DatabaseSchema>,
): MediaStore {
  return setting.kind === 'file' ? new FileMediaStore(setting.dir) : new DatabaseMediaStore(db);
}
