// The `fields` parameter with Graph field expansion: `id,name,instagram_business_account{id,username}`.
// Modifiers such as `.limit(5)` are parsed and ignored (no edge the emulator serves is limited that way).
import { GraphError } from './graph-errors.ts';

export interface FieldSelection {
  name: string;
  /** Sub-selection from `{…}`; null when the field was named without braces. */
  children: FieldSelection[] | null;
}

export class FieldSyntaxError extends Error {
  constructor(
    readonly input: string,
    readonly position: number,
    expected: string,
  ) {
    const found = position < input.length ? `"${input[position]}"` : 'end of string';
    super(`Syntax error "Expected ${expected} instead of ${found}." at character ${position}: ${input}`);
    this.name = 'FieldSyntaxError';
  }
}

const NAME = /[A-Za-z0-9_]/;

export function parseFields(input: string): FieldSelection[] {
  let pos = 0;
  const skipSpace = () => {
    while (pos < input.length && /\s/.test(input[pos] ?? '')) pos++;
  };
  const readName = (): string => {
    skipSpace();
    const start = pos;
    while (pos < input.length && NAME.test(input[pos] ?? '')) pos++;
    if (pos === start) throw new FieldSyntaxError(input, pos, 'a field name');
    return input.slice(start, pos);
  };
  const skipModifiers = () => {
    while (input[pos] === '.') {
      pos++;
      readName();
      if (input[pos] !== '(') throw new FieldSyntaxError(input, pos, '"("');
      const close = input.indexOf(')', pos);
      if (close === -1) throw new FieldSyntaxError(input, input.length, '")"');
      pos = close + 1;
    }
  };
  const readList = (): FieldSelection[] => {
    const list: FieldSelection[] = [];
    for (;;) {
      const name = readName();
      skipModifiers();
      skipSpace();
      let children: FieldSelection[] | null = null;
      if (input[pos] === '{') {
        pos++;
        children = readList();
        skipSpace();
        if (input[pos] !== '}') throw new FieldSyntaxError(input, pos, '"}"');
        pos++;
        skipSpace();
      }
      // A repeated field keeps its last selection, as a JSON object would.
      const existing = list.findIndex((f) => f.name === name);
      if (existing !== -1) list.splice(existing, 1);
      list.push({ name, children });
      if (input[pos] !== ',') return list;
      pos++;
    }
  };
  const fields = readList();
  skipSpace();
  if (pos !== input.length) throw new FieldSyntaxError(input, pos, 'end of string');
  return fields;
}

/** The `fields` parameter parsed, or null when absent (the node's default fields apply). */
export function fieldsParam(raw: string | null): FieldSelection[] | null {
  if (raw === null || raw.trim() === '') return null;
  try {
    return parseFields(raw);
  } catch (err) {
    if (err instanceof FieldSyntaxError) throw new GraphError({ message: err.message, code: 2500 });
    throw err;
  }
}

export function plainFields(names: readonly string[]): FieldSelection[] {
  return names.map((name) => ({ name, children: null }));
}
