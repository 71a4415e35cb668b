import { type FormEvent, useId, useRef, useState } from 'react';
import type { AddMemberRequest } from '../api/contract.ts';
import { apiPost } from '../api/request.ts';
import { useAction } from '../api/use-action.ts';
import { emailError, newPasswordError, PASSWORD_MIN_LENGTH } from '../auth/credential-rules.ts';
import { type FieldErrors, focusFirstError } from '../auth/field-errors.ts';
import { roleLabels } from '../session/roles.ts';
import { Alert } from '../ui/alert.tsx';
import { Button } from '../ui/button.tsx';
import { TextField } from '../ui/text-field.tsx';

type TextFieldName = 'email' | 'password';
const emptyForm: AddMemberRequest = { email: '', password: '', role: 'agent' };

/** Owners and admins create a teammate's account with a first password they pass on to them. */
export function AddMemberForm({ onAdded }: { onAdded: () => void }) {
  const [values, setValues] = useState<AddMemberRequest>(emptyForm);
  const [errors, setErrors] = useState<FieldErrors<TextFieldName>>({});
  const [added, setAdded] = useState<string | null>(null);
  const refs = { email: useRef<HTMLInputElement>(null), password: useRef<HTMLInputElement>(null) };
  const roleId = useId();
  // The 201 body is not used: the list reloads, which also shows anything another admin added.
  const add = useAction((body: AddMemberRequest) => apiPost<unknown>('/api/organization/members', body));

  function update(field: TextFieldName, value: string) {
    setValues((current) => ({ ...current, [field]: value }));
    setErrors((current) => ({ ...current, [field]: undefined }));
    // The last answer was about what was typed before: an old "already exists" would mislead.
    add.clearError();
    setAdded(null);
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setAdded(null);
    // The form is about a teammate: "your email" (the sign-in wording) would be wrong here.
    const found = {
      email: values.email.trim() === '' ? "Enter your teammate's email address." : emailError(values.email),
      password: newPasswordError(values.password),
    };
    setErrors(found);
    if (focusFirstError(found, refs)) return;
    const email = values.email.trim();
    const result = await add.run({ ...values, email });
    if (!result.ok) return;
    setAdded(`${email} was added as ${roleLabels[values.role].toLowerCase()}.`);
    setValues(emptyForm);
    onAdded();
  }

  return (
    <section className="card" aria-labelledby="add-member-title">
      <h2 id="add-member-title">Add a member</h2>
      <form className="form form--inline" onSubmit={onSubmit} noValidate>
        <TextField
          ref={refs.email}
          label="Email"
          type="email"
          autoComplete="off"
          required
          value={values.email}
          onChange={(event) => update('email', event.target.value)}
          error={errors.email}
        />
        <TextField
          ref={refs.password}
          label="First password"
          type="password"
          autoComplete="new-password"
          required
          hint={`At least ${PASSWORD_MIN_LENGTH} characters. Share it with them privately.`}
          value={values.password}
          onChange={(event) => update('password', event.target.value)}
          error={errors.password}
        />
        <div className="field">
          <label htmlFor={roleId}>Role</label>
          <select
            id={roleId}
            value={values.role}
            onChange={(event) =>
              setValues((current) => ({
                ...current,
                role: event.target.value === 'admin' ? 'admin' : 'agent',
              }))
            }
          >
            <option value="agent">Agent: reads and answers conversations</option>
            <option value="admin">Admin: also manages members and integrations</option>
          </select>
        </div>
        {add.error && (
          <Alert>
            {add.error.status === 409
              ? 'A Parley account with this email already exists.'
              : add.error.message}
          </Alert>
        )}
        {added && <Alert tone="success">{added}</Alert>}
        <Button type="submit" variant="primary" busy={add.busy}>
          Add member
        </Button>
      </form>
    </section>
  );
}
