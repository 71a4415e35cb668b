// GET /api/conversations?q=…: the organization's conversations whose person's name or handle, or any
// message, matches the words typed. Each hit names its newest matching message and a snippet of it
// (`match`), or `match: null` when only the name or handle matched. Hits are ordered by the time of
// what matched (that message, or the conversation's last activity for a name), newest first. One page
// of at most SEARCH_RESULTS: a search is refined by typing more, not paged (next_cursor is null).
import type { Kysely } from 'kysely';
import type { ConversationView, SearchMatch } from '../contract.ts';
import { conversationPageByIds } from '../inbox/conversation-page.ts';
import type { ConversationRow } from '../inbox/conversation-repository.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import type { SearchFilter, SearchRepository } from './search-repository.ts';
import { searchTerms } from './search-terms.ts';
import { makeSnippet } from './snippet.ts';

export const SEARCH_RESULTS = 50;

export interface SearchResult {
  rows: ConversationRow[];
  /** The view of each row, in the same order. */
  views: ConversationView[];
  matches: Map<string, SearchMatch>;
}

export class ConversationSearchService {
  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly repository: SearchRepository,
  ) {}

  async search(orgId: string, q: string, filter: SearchFilter): Promise<SearchResult> {
    const terms = searchTerms(q);
    if (terms.length === 0) return { rows: [], views: [], matches: new Map() };
    const run = (prefix: boolean) =>
      Promise.all([
        this.repository.conversationsByName(this.db, orgId, terms, { ...filter, prefix }, SEARCH_RESULTS),
        this.repository.newestMessageHits(this.db, orgId, terms, { ...filter, prefix }, SEARCH_RESULTS),
      ]);
    // Whole words first: cheap in both databases whatever the word. Only when they find nothing (someone
    // still typing "ped") is the last term taken as the start of a word.
    let [byName, byMessage] = await run(false);
    if (byName.length + byMessage.length === 0) [byName, byMessage] = await run(true);
    const matches = new Map<string, SearchMatch>();
    const rankAt = new Map<string, number>();
    for (const hit of byMessage) {
      matches.set(hit.conversationId, { message_id: hit.messageId, snippet: makeSnippet(hit.text, terms) });
      rankAt.set(hit.conversationId, hit.sentAt);
    }
    for (const id of byName) if (!matches.has(id)) matches.set(id, null);
    // The rows and their views in one statement (conversation-page.ts), not three round trips.
    const page = await conversationPageByIds(this.db, orgId, [...matches.keys()]);
    const found = page.rows.map((row, i) => ({ row, view: page.views[i]! }));
    const at = (r: ConversationRow) => rankAt.get(r.id) ?? r.last_message_at;
    found.sort((a, b) => at(b.row) - at(a.row) || (a.row.id < b.row.id ? 1 : -1));
    const kept = found.slice(0, SEARCH_RESULTS);
    return { rows: kept.map((f) => f.row), views: kept.map((f) => f.view), matches };
  }
}
