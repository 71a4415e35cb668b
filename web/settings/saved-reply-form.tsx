// Adding or editing a saved reply: a title (1–80 characters, unique in the organization) and the text
// (1–2,000 characters, Messenger's limit). The server decides; its refusals are shown at their field.
import { type FormEvent, useRef, useState } from 'react';
import type { ActionResult } from '../api/use-action.ts';
import type { FieldErrors } from '../auth/field-errors.ts';
import { Alert } from '../ui/alert.tsx';
import { Button } from '../ui/button.tsx';
import { TextAreaField } from '../ui/text-area-field.tsx';
import { TextField } from '../ui/text-field.tsx';

export const TITLE_MAX = 80;
export const TEXT_MAX = 2000;
const INSTAGRAM_MAX = 1000;

export type SavedReplyDraft = { title: string; text: string };
type Field = 'title' | 'text';

export function SavedReplyForm({
  initial = { title: '', text: '' },
  submitLabel,
  busy,
  onSubmit,
  onCancel,
  labelledBy,
}: {
  initial?: SavedReplyDraft;
  submitLabel: string;
  busy: boolean;
  onSubmit: (draft: SavedReplyDraft) => Promise<ActionResult<unknown>>;
  onCancel?: () => void;
  labelledBy?: string;
}) {
  const [title, setTitle] = useState(initial.title);
  const [text, setText] = useState(initial.text);
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const titleRef = useRef<HTMLInputElement>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const length = text.trim().length;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    const found: FieldErrors<Field> = {};
    if (!title.trim()) found.title = 'Enter a title.';
    else if (title.trim().length > TITLE_MAX) found.title = `Use at most ${TITLE_MAX} characters.`;
    if (!text.trim()) found.text = 'Enter the text of the reply.';
    else if (length > TEXT_MAX) found.text = `Use at most ${TEXT_MAX.toLocaleString('en')} characters.`;
    setErrors(found);
    if (found.title || found.text) {
      (found.title ? titleRef : textRef).current?.focus();
      return;
    }
    const result = await onSubmit({ title: title.trim(), text: text.trim() });
    if (result.ok || !result.error) return;
    const { code, message } = result.error;
    if (code === 'title_taken' || code === 'invalid_title') {
      setErrors({ title: message });
      titleRef.current?.focus();
    } else if (code === 'invalid_text') {
      setErrors({ text: message });
      textRef.current?.focus();
    } else {
      setFailure(message);
    }
  }

  const counter = `${length.toLocaleString('en')} / ${TEXT_MAX.toLocaleString('en')} characters.`;
  const instagram =
    length > INSTAGRAM_MAX
      ? ` Longer than Instagram's ${INSTAGRAM_MAX.toLocaleString('en')}: in an Instagram conversation the reply box asks to shorten it before sending.`
      : ` Instagram accepts ${INSTAGRAM_MAX.toLocaleString('en')}; the reply box counts and holds back longer text there.`;

  return (
    <form className="form saved-reply-form" onSubmit={submit} noValidate aria-labelledby={labelledBy}>
      <TextField
        ref={titleRef}
        label="Title"
        hint="What agents type after / to find it, e.g. “Return policy”."
        value={title}
        maxLength={TITLE_MAX * 2}
        onChange={(event) => {
          setTitle(event.target.value);
          setErrors((e) => ({ ...e, title: undefined }));
        }}
        error={errors.title}
      />
      <TextAreaField
        ref={textRef}
        label="Text"
        rows={4}
        hint={`${counter}${instagram} {{first_name}} and {{name}} become the customer's name.`}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setErrors((e) => ({ ...e, text: undefined }));
        }}
        error={errors.text}
      />
      {failure && <Alert>{failure}</Alert>}
      <div className="saved-reply-form__actions">
        <Button type="submit" variant="primary" busy={busy}>
          {submitLabel}
        </Button>
        {onCancel && (
          <Button variant="link" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
