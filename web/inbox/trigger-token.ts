// Where a picker's trigger character (`/` for saved replies, `@` for mentions) starts the word being
// typed: at the start of the text or right after whitespace, up to the caret, on one line. "and/or" and
// "https://…" never open a picker; "/ret" and "Hi /ret" do.
export interface TriggerToken {
  /** Index of the trigger character. */
  start: number;
  /** The caret: the token is text[start, end). */
  end: number;
  /** What follows the trigger, up to the caret. */
  query: string;
}

/** Longer than any title a person types to find something: past it, the text is prose, not a query. */
const MAX_QUERY = 60;

export function findTriggerToken(text: string, caret: number, trigger: string): TriggerToken | null {
  const before = text.slice(0, caret);
  const start = before.lastIndexOf(trigger);
  if (start < 0) return null;
  if (start > 0 && !/\s/.test(before[start - 1] ?? '')) return null;
  const query = before.slice(start + trigger.length);
  if (query.length > MAX_QUERY || /[\r\n]/.test(query) || /^\s/.test(query)) return null;
  return { start, end: caret, query };
}
