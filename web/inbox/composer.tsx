// The reply box. Enter sends, Shift+Enter starts a new line. It says why it can't send (no Page
// connected, Meta's access revoked, the 24-hour window closed) and what to do, and otherwise how long the
// window has left. Sending is optimistic: the box empties at once; if the send fails the text comes back,
// so nothing typed is lost; what is typed is kept per conversation until it is sent (drafts.ts). Text
// over the channel's limit (Messenger 2,000, Instagram 1,000 characters) is kept in the box, never cut:
// a counter shows near the end, and sending is refused with the reason.
// `dir="auto"` lets right-to-left text type the right way round. Typing `/` opens the saved replies
// (saved-reply-picker.tsx), which take Up/Down, Enter, Tab and Escape while their list is open.
import {
  type ClipboardEvent,
  type DragEvent,
  type FormEvent,
  type KeyboardEvent,
  useId,
  useRef,
  useState,
} from 'react';
import { ApiError } from '../api/api-error.ts';
import type {
  ConnectionStatusResponse,
  ConversationView,
  InboxSettingsResponse,
  SendMessageResponse,
} from '../api/contract.ts';
import { apiUpload } from '../api/request.ts';
import { type Resource, useApi } from '../api/use-api.ts';
import { Alert } from '../ui/alert.tsx';
import { Button } from '../ui/button.tsx';
import { useMediaQuery } from '../ui/use-media-query.ts';
import { useNow } from '../ui/use-now.ts';
import { AttachmentDraft, type UploadState } from './attachment-draft.tsx';
import { useDraft } from './drafts.ts';
import { canReply, replyAvailability } from './reply-availability.ts';
import { ReplyStatus } from './reply-status.tsx';
import { useSavedReplyPicker } from './saved-reply-picker.tsx';
import { COUNTER_FROM, TEXT_LIMITS } from './text-limits.ts';
import type { SendResult } from './use-inbox.ts';

/** Where the inbox shows the list or the thread, not both (inbox.css). */
const NARROW_QUERY = '(max-width: 720px)';
/** Answers that refuse the file itself (413 too large, 415 a type Meta does not take): no Retry. */
const FILE_REFUSED = new Set([413, 415]);

export function Composer({
  conversationId,
  conversation,
  connection,
  onSend,
}: {
  conversationId: string;
  conversation: ConversationView | undefined;
  connection: Resource<ConnectionStatusResponse>;
  onSend: (text: string) => Promise<SendResult>;
}) {
  const id = useId();
  const statusId = `${id}-status`;
  const [draft, setDraftState] = useDraft('reply', conversationId);
  // What the box holds right now, for the moment a send fails (a closure would hold the old text).
  const latestDraft = useRef(draft);
  const input = useRef<HTMLTextAreaElement>(null);
  const setDraft = (value: string) => {
    latestDraft.current = value;
    setDraftState(value);
  };
  const [failure, setFailure] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [upload, setUpload] = useState<UploadState>({ state: 'idle' });
  const [dragging, setDragging] = useState(false);
  const picker = useRef<HTMLInputElement>(null);
  const settings = useApi<InboxSettingsResponse>('/api/inbox/settings');
  const humanAgent = settings.status === 'ready' && settings.data.human_agent;
  const closesAt = conversation?.window_expires_at ? Date.parse(conversation.window_expires_at) : null;
  const now = useNow(60_000, closesAt);
  const availability = replyAvailability(connection, conversation, now, humanAgent);
  const allowed = canReply(availability);
  // While the connection's status loads, typing goes on (nothing typed is lost); sending waits for it.
  const typable = allowed || availability.state === 'checking';
  // On a phone the keyboard hints would wrap past the two-line box and be cut; they matter less there.
  const narrow = useMediaQuery(NARROW_QUERY);
  const text = draft.trim();
  const channel = conversation?.channel ?? 'messenger';
  const limit = TEXT_LIMITS[channel];
  const over = text.length - limit;
  const [tooLong, setTooLong] = useState(false);
  const savedReplies = useSavedReplyPicker({
    input,
    customerName: conversation?.participant.name ?? null,
    setText: setDraft,
  });

  function choose(chosen: File | null | undefined) {
    if (!chosen) return;
    setFile(chosen);
    setUpload({ state: 'idle' });
  }

  /** Sends the chosen file (with the box's text as its caption); a failure keeps both for Retry. */
  async function sendFile(current: File) {
    if (!conversation || !allowed) return;
    const form = new FormData();
    form.append('file', current, current.name);
    if (text) form.append('text', text);
    setUpload({ state: 'uploading', progress: 0 });
    try {
      await apiUpload<SendMessageResponse>(
        `/api/conversations/${conversation.id}/attachments`,
        form,
        (progress) => setUpload({ state: 'uploading', progress }),
      );
      setFile(null);
      setUpload({ state: 'idle' });
      setDraft('');
      // The box's text went as the caption: an earlier "not sent" about it is answered.
      setFailure(null);
    } catch (error) {
      const failure = ApiError.from(error);
      setUpload({ state: 'failed', message: failure.message, retryable: !FILE_REFUSED.has(failure.status) });
    }
  }

  function onDrop(event: DragEvent) {
    event.preventDefault();
    setDragging(false);
    choose(event.dataTransfer.files[0]);
  }

  function onPaste(event: ClipboardEvent<HTMLTextAreaElement>) {
    const pasted = event.clipboardData.files[0];
    if (pasted) {
      event.preventDefault();
      choose(pasted);
    }
  }

  async function send() {
    if (file) {
      // A refused file would only be refused again; its message stays until it is removed or replaced.
      if (upload.state === 'idle' || (upload.state === 'failed' && upload.retryable)) await sendFile(file);
      return;
    }
    if (!allowed || !text) return;
    if (over > 0) {
      setTooLong(true);
      return;
    }
    setDraft('');
    setFailure(null);
    // After a click on Send, back to the box for the next line.
    input.current?.focus();
    const result = await onSend(text);
    if (result.ok) return;
    // Put the text back, unless a new reply was started meanwhile (the failed bubble still shows it).
    const restored = latestDraft.current.trim() === '';
    if (restored) setDraft(text);
    setFailure(
      restored
        ? 'Your reply was not sent; its text is back in the box.'
        : 'Your reply was not sent; its text is still shown in the conversation.',
    );
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void send();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (savedReplies.picker.onKeyDown(event)) return;
    // Not while an input method is composing (Japanese, Chinese…): Enter confirms the characters there.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  }

  return (
    <form
      className={`composer${dragging ? ' composer--dragging' : ''}`}
      onSubmit={onSubmit}
      onDragOver={(event) => {
        if (!allowed) return;
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      {failure && (
        <Alert tone="error" onDismiss={() => setFailure(null)}>
          {failure}
        </Alert>
      )}
      <label htmlFor={id} className="visually-hidden">
        Reply
      </label>
      {file && (
        <AttachmentDraft
          file={file}
          upload={upload}
          onRemove={() => {
            setFile(null);
            setUpload({ state: 'idle' });
          }}
          onRetry={() => void sendFile(file)}
        />
      )}
      {savedReplies.list}
      <div className="composer__row">
        <input
          ref={picker}
          type="file"
          className="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
          accept="image/*,video/*,audio/*,application/pdf,*/*"
          onChange={(event) => {
            choose(event.target.files?.[0]);
            event.target.value = '';
          }}
        />
        <Button
          type="button"
          disabled={!allowed || upload.state === 'uploading'}
          onClick={() => picker.current?.click()}
          aria-label="Attach a file"
          title="Attach a picture, video, audio or file (or drop / paste it here)"
        >
          <svg className="icon" viewBox="0 0 16 16" width="18" height="18" aria-hidden="true">
            <path
              d="M10.5 4.5 5.6 9.4a1.5 1.5 0 0 0 2.1 2.1l5-5a3 3 0 0 0-4.2-4.2l-5 5a4.5 4.5 0 0 0 6.4 6.4l4.2-4.2"
              fill="none"
              stroke="currentColor"
              strokeWidth="1.4"
              strokeLinecap="round"
            />
          </svg>
        </Button>
        <textarea
          {...savedReplies.picker.inputProps}
          onSelect={(event) => savedReplies.picker.track(event.currentTarget)}
          onPaste={onPaste}
          id={id}
          ref={input}
          className="composer__input"
          rows={2}
          value={draft}
          dir="auto"
          aria-invalid={over > 0 || undefined}
          placeholder={
            !typable
              ? undefined
              : narrow
                ? 'Write a reply… (/ for saved replies)'
                : 'Write a reply… (Enter to send, Shift+Enter for a new line, / for saved replies)'
          }
          disabled={!typable}
          aria-describedby={statusId}
          onChange={(event) => {
            setDraft(event.target.value);
            savedReplies.picker.track(event.target);
            if (event.target.value.trim().length <= limit) setTooLong(false);
          }}
          onKeyDown={onKeyDown}
        />
        <Button
          type="submit"
          variant="primary"
          disabled={!allowed || (!text && !file) || upload.state === 'uploading' || over > 0}
        >
          Send
        </Button>
      </div>
      <div className="composer__footer">
        <ReplyStatus id={statusId} availability={availability} />
        {text.length >= limit * COUNTER_FROM && (
          <span
            className={`composer__counter${over > 0 ? ' composer__counter--over' : ''}`}
            aria-hidden="true"
          >
            {text.length.toLocaleString('en')} / {limit.toLocaleString('en')}
          </span>
        )}
      </div>
      {allowed && conversation && conversation.assignee === null && (
        <p className="composer__assigns">Replying assigns this conversation to you.</p>
      )}
      {over > 0 && (
        <p className={`composer__too-long${tooLong ? ' composer__too-long--refused' : ''}`} role="alert">
          {channelName[channel]} accepts at most {limit.toLocaleString('en')} characters: remove{' '}
          {over.toLocaleString('en')} to send. Nothing is cut.
        </p>
      )}
    </form>
  );
}

const channelName = { messenger: 'Messenger', instagram: 'Instagram' } as const;
