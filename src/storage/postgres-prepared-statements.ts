// Kysely's PostgreSQL driver sends every query as an unnamed statement, so PostgreSQL parses, analyses
// and plans it again on every call: on the bench's conversation list that was about 1.5 ms of the
// backend's time per request (parse 0.3 ms and bind, where the plan is made, 0.5 ms, for the session
// lookup and for the page each), more than the page's own execution. Named statements are parsed once
// per connection, and after five runs PostgreSQL keeps a generic plan when it costs no more than the
// custom ones (plan_cache_mode = auto).
//
// Kysely emits the same SQL text for the same query shape, so a statement is named by a hash of its
// text. What a connection prepares is bounded: a text is named only from its second use (a multi-row
// INSERT or an `in (…)` list is a new text for every row count, mostly used once), only up to
// `statements` per connection and `charsEach` characters long, and the texts counted towards their
// second use are bounded too, least recently used dropped first. Named statements are never
// deallocated: pg's client would not know, and the few hundred a connection may hold cost the backend
// little memory.
//
// A schema change under a running instance (another instance migrating) can make PostgreSQL refuse a
// prepared statement whose result columns changed ("cached plan must not change result type",
// SQLSTATE 0A000, raised by RevalidateCachedQuery). The connection then starts a new generation of
// names, so each statement is parsed again; when no transaction was open it deallocates the old ones and
// sends the failed query, which did not run, again.
import { createHash } from 'node:crypto';
import type pg from 'pg';

export interface PreparedLimits {
  /** Named statements one connection may hold. */
  statements: number;
  /** A longer text is never named. */
  charsEach: number;
  /** Texts seen once, kept (as hashes) to notice their second use. */
  watched: number;
}

export const PREPARED_LIMITS: PreparedLimits = { statements: 200, charsEach: 8192, watched: 1000 };

/**
 * PostgreSQL's error when a prepared statement's result columns changed under it: SQLSTATE 0A000
 * (feature_not_supported) raised by RevalidateCachedQuery, before the statement runs. The routine, not
 * the message, which follows the server's language.
 */
const isStalePlan = (error: unknown) => {
  const e = error as { code?: string; routine?: string } | null;
  return e?.code === '0A000' && e.routine === 'RevalidateCachedQuery';
};

type Pg = typeof pg;

/** A pg Client class (for pg.Pool's `Client` option) that names the statements it sees again. */
export function preparingClient(pgModule: Pg, limits: PreparedLimits = PREPARED_LIMITS): Pg['Client'] {
  class PreparingClient extends pgModule.Client {
    /** Hash of a named text → its statement name. */
    readonly #named = new Map<string, string>();
    /** Hashes of texts used once, oldest first. */
    readonly #watched = new Set<string>();
    #generation = 0;

    // pg's query() has many overloads; (text, values) with at least one value is named, whether called
    // as Kysely calls it or with a callback as pg.Pool's own query() does. Everything else (config
    // objects, cursors, begin/commit) passes through unchanged.
    // biome-ignore lint/suspicious/noExplicitAny: forwards pg's overloads unchanged
    override query(...args: any[]): any {
      const [text, values, callback] = args;
      if (typeof text !== 'string' || !Array.isArray(values) || values.length === 0 || args.length > 3)
        // biome-ignore lint/suspicious/noExplicitAny: as above
        return (super.query as any)(...args);
      const run = this.#run(text, values);
      if (typeof callback !== 'function') return run;
      run.then(
        (result) => callback(null, result),
        (error) => callback(error),
      );
      return undefined;
    }

    async #run(text: string, values: unknown[]): Promise<pg.QueryResult> {
      const name = this.#nameFor(text);
      if (name === null) return super.query(text, values);
      try {
        return await super.query({ name, text, values });
      } catch (error) {
        if (!isStalePlan(error)) throw error;
        this.#generation++;
        this.#named.clear();
        // Inside a transaction the failure has aborted it: the caller must see it. The old generation's
        // statements then stay on the backend until the next stale plan met outside a transaction.
        if (this.#transactionStatus() !== 'I') throw error;
        // Outside one, they go (their names are never sent again), so `statements` still bounds what
        // the backend holds; then the failed query, which did not run, is sent again.
        await super.query('deallocate all');
        return super.query(text, values);
      }
    }

    #nameFor(text: string): string | null {
      if (text.length > limits.charsEach) return null;
      const hash = createHash('sha1').update(text).digest('base64url');
      const known = this.#named.get(hash);
      if (known) return known;
      if (!this.#watched.delete(hash)) {
        this.#watched.add(hash);
        for (const oldest of this.#watched) {
          if (this.#watched.size <= limits.watched) break;
          this.#watched.delete(oldest);
        }
        return null;
      }
      if (this.#named.size >= limits.statements) return null;
      const name = `parley_${this.#generation}_${hash}`;
      this.#named.set(hash, name);
      return name;
    }

    #transactionStatus(): string | null {
      // pg ≥ 8.14: 'I' idle, 'T' in a transaction, 'E' in a failed one.
      return (this as unknown as { getTransactionStatus(): string | null }).getTransactionStatus();
    }
  }
  return PreparingClient;
}
