// The search implementation for the database in use.
import type { Dialect } from '../storage/database.ts';
import { PostgresSearchRepository } from './postgres-search-repository.ts';
import type { SearchRepository } from './search-repository.ts';
import { SqliteSearchRepository } from './sqlite-search-repository.ts';

export function createSearchRepository(dialect: Dialect): SearchRepository {
  return dialect === 'postgres' ? new PostgresSearchRepository() : new SqliteSearchRepository();
}
