// Kysely's SQLite driver prepares every query anew, and preparing is a fifth of the CPU the webhook
// processor spends on SQLite (bench/results/profile.md). Kysely emits the same SQL text for the same
// query shape, so the prepared statements are kept by text and reused. better-sqlite3 statements are
// safe to reuse one after another on one connection; none of Parley's queries streams (a statement
// mid-iteration cannot run again until it finishes).
//
// What is kept is bounded by the length of its SQL as well as by the number of statements. A multi-row
// INSERT is a new text for every row count, and its compiled program is large: 200 inserts into
// messages, of 1 to 200 rows, held 40 MB. Under 1,000 deliveries/s the processor's cache held 499
// statements, 427,000 characters of SQL (issue 15, resident memory). Processing's multi-row statements
// now come in a few shapes (statement-shapes.ts); what is kept beyond the limits goes least recently
// used first.
import type { Database as SqliteConnection, Statement } from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

export interface StatementLimits {
  statements: number;
  /** Characters of SQL kept in all. */
  chars: number;
  /** A statement longer than this is prepared for its one use, not kept. */
  charsEach: number;
}

/**
 * 128 Ki characters is about 4 MB of compiled programs (2,000 characters of an INSERT into messages
 * compile to about 66 kB). A drain of 80,000 single-event deliveries prepared 160,000 characters' worth
 * and, with this limit, prepared 2 statements a second time; preparing a 100-row INSERT takes 0.9 ms.
 */
export const STATEMENT_LIMITS: StatementLimits = { statements: 500, chars: 131_072, charsEach: 16_384 };

export class ReusedStatements implements SqliteDatabase {
  private readonly statements = new Map<string, Statement>();
  private chars = 0;

  constructor(
    private readonly connection: SqliteConnection,
    private readonly limits: StatementLimits = STATEMENT_LIMITS,
  ) {}

  /** What is kept now (tests, and a look from a debugger). */
  get kept(): { statements: number; chars: number } {
    return { statements: this.statements.size, chars: this.chars };
  }

  prepare(sql: string): Statement {
    const kept = this.statements.get(sql);
    if (kept) {
      // Most recently used last, so the oldest is dropped first.
      this.statements.delete(sql);
      this.statements.set(sql, kept);
      return kept;
    }
    const statement = this.connection.prepare(sql);
    if (sql.length > this.limits.charsEach) return statement;
    this.statements.set(sql, statement);
    this.chars += sql.length;
    for (const oldest of this.statements.keys()) {
      if (this.chars <= this.limits.chars && this.statements.size <= this.limits.statements) break;
      this.statements.delete(oldest);
      this.chars -= oldest.length;
    }
    return statement;
  }

  close(): void {
    this.statements.clear();
    this.chars = 0;
    this.connection.close();
  }
}
