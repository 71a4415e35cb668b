import type { RefObject } from 'react';

export type FieldErrors<Field extends string> = Partial<Record<Field, string>>;

/** Moves focus to the first field (in form order) that has an error; returns whether there was one. */
export function focusFirstError<Field extends string>(
  errors: FieldErrors<Field>,
  fields: Record<Field, RefObject<HTMLInputElement | null>>,
): boolean {
  const first = (Object.keys(fields) as Field[]).find((field) => errors[field]);
  if (first === undefined) return false;
  fields[first].current?.focus();
  return true;
}
