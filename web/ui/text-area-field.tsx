import type { Ref, TextareaHTMLAttributes } from 'react';
import { FieldFrame } from './field-frame.tsx';

type TextAreaFieldProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'> & {
  label: string;
  hint?: string;
  /** Shown under the box and announced with it (aria-describedby); marks the box aria-invalid. */
  error?: string | undefined;
  ref?: Ref<HTMLTextAreaElement>;
};

/** TextField's multi-line sibling: the same label, hint and error wiring. */
export function TextAreaField({ label, hint, error, ref, ...textarea }: TextAreaFieldProps) {
  return (
    <FieldFrame label={label} hint={hint} error={error}>
      {(control) => <textarea {...control} ref={ref} dir="auto" {...textarea} />}
    </FieldFrame>
  );
}
