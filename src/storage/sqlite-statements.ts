// Kysely's SQLite driver prepares every query anew, and preparing is a fifth of the CPU the webhook
// processor spends on SQLite (bench/results/profile.md). Kysely emits the same SQL text for the same
// query shape, so the prepared statements are kept by text and reused. better-sqlite3 statements are
// safe to reuse one after another on one connection; none of Parley's queries streams (a statement
// mid-iteration cannot run again until it finishes).
import type { Database as SqliteConnection, Statement } from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

const MAX_STATEMENTS = 500;

export class ReusedStatements implements SqliteDatabase {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly connection: SqliteConnection) {}

  prepare(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (statement) {
      // Most recently used last, so the oldest is dropped first.
      this.statements.delete(sql);
    } else {
      statement = this.connection.prepare(sql);
      if (this.statements.size >= MAX_STATEMENTS) {
        const oldest = this.statements.keys().next().value;
        if (oldest !== undefined) this.statements.delete(oldest);
      }
    }
    this.statements.set(sql, statement);
    return statement;
  }

  close(): void {
    this.statements.clear();
    this.connection.close();
  }
}
