// Runs the in-code migrations to the latest version. Kysely's migrateToLatest reports failure in its
// result instead of throwing, so this turns it into an exception.
import { type Kysely, type Migration, Migrator } from 'kysely';
import * as m0001 from './migrations/0001-accounts.ts';
import * as m0002 from './migrations/0002-meta-connection.ts';

const migrations: Record<string, Migration> = {
  '0001-accounts': m0001,
  '0002-meta-connection': m0002,
};

export class MigrationError extends Error {
  constructor(name: string, cause: unknown) {
    super(`migration ${name} failed`, { cause });
    this.name = 'MigrationError';
  }
}

export async function migrateToLatest<T>(db: Kysely<T>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) throw new MigrationError(failed?.migrationName ?? 'unknown', error);
  return (results ?? []).map((r) => r.migrationName);
}
