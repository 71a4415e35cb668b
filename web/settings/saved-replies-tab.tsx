// Settings → Saved replies: the organization's saved replies, which agents insert in a reply by typing
// `/` in the reply box. Owners and admins add, edit and delete them (delete asks first); agents see the
// list. After a change the composer's copy is marked stale (use-saved-replies.ts), so the inbox shows
// the new list without a reload.
import { useState } from 'react';
import type { SavedRepliesResponse, SavedReplyResponse, SavedReplyView } from '../api/contract.ts';
import { apiDelete, apiPatch, apiPost } from '../api/request.ts';
import { useAction } from '../api/use-action.ts';
import { useApi } from '../api/use-api.ts';
import { savedRepliesChanged } from '../inbox/use-saved-replies.ts';
import { canManageOrganization } from '../session/roles.ts';
import { useSignedInSession } from '../session/session-context.tsx';
import { Alert } from '../ui/alert.tsx';
import { Button } from '../ui/button.tsx';
import { Skeleton } from '../ui/skeleton.tsx';
import { type SavedReplyDraft, SavedReplyForm } from './saved-reply-form.tsx';
import './saved-replies.css';

export function SavedRepliesTab() {
  const { role } = useSignedInSession();
  const manager = canManageOrganization(role);
  const replies = useApi<SavedRepliesResponse>('/api/saved-replies');
  const changed = () => {
    savedRepliesChanged();
    replies.reload();
  };

  return (
    <div className="tab-panel saved-replies-tab">
      <p className="tab-panel__intro">
        Type <kbd>/</kbd> in the reply box to insert one of these, then choose it with <kbd>↑</kbd>{' '}
        <kbd>↓</kbd> and <kbd>Enter</kbd>. What you type after the slash filters them by title, then by text.
      </p>
      {manager && <AddSavedReply onAdded={changed} />}
      <section className="card" aria-labelledby="saved-replies-title">
        <h2 id="saved-replies-title">Saved replies</h2>
        {replies.status === 'loading' && <Skeleton label="Loading saved replies…" />}
        {replies.status === 'error' && (
          <Alert title="The saved replies could not be loaded.">
            <p>{replies.error.message}</p>
            <Button onClick={replies.reload}>Try again</Button>
          </Alert>
        )}
        {replies.status === 'ready' &&
          (replies.data.saved_replies.length === 0 ? (
            <div className="empty-state">
              <p>
                <strong>No saved replies yet.</strong>
              </p>
              <p className="muted">
                Saved replies are answers your team gives again and again. Once added here, anyone can insert
                one by typing <kbd>/</kbd> and a few letters of its title in the reply box.
                {manager ? ' Add the first one above.' : ' Owners and admins can add them.'}
              </p>
            </div>
          ) : (
            <ul className="saved-reply-list">
              {replies.data.saved_replies.map((reply) => (
                <SavedReplyRow key={reply.id} reply={reply} editable={manager} onChanged={changed} />
              ))}
            </ul>
          ))}
        {!manager && <p className="muted">Only owners and admins can add, edit or delete saved replies.</p>}
      </section>
    </div>
  );
}

function AddSavedReply({ onAdded }: { onAdded: () => void }) {
  // A new key empties the form after a successful add.
  const [generation, setGeneration] = useState(0);
  const [added, setAdded] = useState<string | null>(null);
  const add = useAction((draft: SavedReplyDraft) => apiPost<SavedReplyResponse>('/api/saved-replies', draft));
  return (
    <section className="card" aria-labelledby="add-saved-reply-title">
      <h2 id="add-saved-reply-title">Add a saved reply</h2>
      {added && (
        <Alert tone="success" onDismiss={() => setAdded(null)}>
          “{added}” saved. Type <kbd>/</kbd> in the reply box to use it.
        </Alert>
      )}
      <SavedReplyForm
        key={generation}
        labelledBy="add-saved-reply-title"
        submitLabel="Add saved reply"
        busy={add.busy}
        onSubmit={async (draft) => {
          setAdded(null);
          const result = await add.run(draft);
          if (result.ok) {
            setAdded(result.value.saved_reply.title);
            setGeneration((n) => n + 1);
            onAdded();
          }
          return result;
        }}
      />
    </section>
  );
}

function SavedReplyRow({
  reply,
  editable,
  onChanged,
}: {
  reply: SavedReplyView;
  editable: boolean;
  onChanged: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const save = useAction((draft: SavedReplyDraft) =>
    apiPatch<SavedReplyResponse>(`/api/saved-replies/${reply.id}`, draft),
  );
  const remove = useAction(() => apiDelete(`/api/saved-replies/${reply.id}`));
  const titleId = `saved-reply-${reply.id}`;

  if (editing) {
    return (
      <li className="saved-reply saved-reply--editing">
        <h3 id={titleId} className="visually-hidden">
          Edit “{reply.title}”
        </h3>
        <SavedReplyForm
          initial={{ title: reply.title, text: reply.text }}
          labelledBy={titleId}
          submitLabel="Save changes"
          busy={save.busy}
          onCancel={() => setEditing(false)}
          onSubmit={async (draft) => {
            const result = await save.run(draft);
            if (result.ok) {
              setEditing(false);
              onChanged();
            }
            return result;
          }}
        />
      </li>
    );
  }

  return (
    <li className="saved-reply">
      <div className="saved-reply__body">
        <h3 id={titleId} className="saved-reply__title">
          {reply.title}
        </h3>
        <p className="saved-reply__text" dir="auto">
          {reply.text}
        </p>
      </div>
      {editable && (
        <div className="saved-reply__actions">
          {confirmDelete ? (
            <>
              <Button
                variant="danger"
                busy={remove.busy}
                onClick={async () => {
                  const result = await remove.run();
                  if (result.ok) onChanged();
                }}
              >
                Yes, delete “{reply.title}”
              </Button>
              <Button variant="link" onClick={() => setConfirmDelete(false)}>
                Cancel
              </Button>
            </>
          ) : (
            <>
              <Button variant="link" aria-describedby={titleId} onClick={() => setEditing(true)}>
                Edit
              </Button>
              <Button variant="link" aria-describedby={titleId} onClick={() => setConfirmDelete(true)}>
                Delete
              </Button>
            </>
          )}
        </div>
      )}
      {remove.error && (
        <div className="saved-reply__error">
          <Alert>{remove.error.message}</Alert>
        </div>
      )}
    </li>
  );
}
