// `{{first_name}}` and `{{name}}` in a saved reply become the customer's first name and full name when
// it is inserted. Without a known name they stay as typed and the first one is selected, so the agent
// types over it rather than sending the braces.
const PLACEHOLDER = /\{\{\s*(first_name|name)\s*\}\}/g;

export function fillPlaceholders(text: string, customerName: string | null): string {
  const name = customerName?.trim();
  if (!name) return text;
  const first = name.split(/\s+/)[0] ?? name;
  return text.replace(PLACEHOLDER, (_, key: string) => (key === 'name' ? name : first));
}

/** The first placeholder left in `text`, as [start, end), or null. */
export function firstPlaceholder(text: string): [number, number] | null {
  const found = new RegExp(PLACEHOLDER.source).exec(text);
  return found ? [found.index, found.index + found[0].length] : null;
}
