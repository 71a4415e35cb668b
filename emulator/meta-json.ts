// Meta serialises Graph responses and webhook bodies the way PHP's json_encode does: every "/" becomes
// "\/" and every non-ASCII UTF-16 code unit becomes a lowercase "\uXXXX" escape, so an emoji is a pair
// of surrogate escapes. Webhook signatures are computed over exactly these bytes, which is why a
// receiver that re-serialises the parsed JSON, or signs the decoded text, gets a different HMAC
// (reference §8.2: "äöå" must be sent as "\u00e4\u00f6\u00e5").
const NEEDS_ESCAPE = /[\u0080-\uffff/]/g;

export function metaJson(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError('metaJson: value is not JSON-serialisable');
  // Outside string literals JSON never contains "/" or non-ASCII, so a global replace only touches strings.
  return json.replace(NEEDS_ESCAPE, (ch) =>
    ch === '/' ? '\\/' : `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
