// The reply box. Enter sends, Shift+Enter starts a new line. It says why it can't send (no Page
// connected, Meta's access revoked, the 24-hour window closed) and what to do, and otherwise how long the
// window has left. Sending is optimistic: the box empties at once; if the send fails the text comes back,
// so nothing typed is lost. Text over the channel's limit (Messenger 2,000, Instagram 1,000 characters)
// is kept in the box, never cut: a counter shows near the end, and sending is refused with the reason.
// `dir="auto"` lets right-to-left text type the right way round.
import { type FormEvent, type KeyboardEvent, useId, useRef, useState } from 'react';
import { Link } from 'wouter';
import type { ConnectionStatusResponse, ConversationView } from '../api/contract.ts';
import { Alert } from '../ui/alert.tsx';
import { Button } from '../ui/button.tsx';
import { formatDateTime, formatDuration } from '../ui/date-format.ts';
import { useNow } from '../ui/use-now.ts';
import { canReply, type ReplyAvailability, replyAvailability } from './reply-availability.ts';
import { COUNTER_FROM, TEXT_LIMITS } from './text-limits.ts';
import type { SendResult } from './use-inbox.ts';

const ONE_HOUR = 3_600_000;

export function Composer({
  conversation,
  connection,
  onSend,
}: {
  conversation: ConversationView | undefined;
  connection: ConnectionStatusResponse | null;
  onSend: (text: string) => Promise<SendResult>;
}) {
  const id = useId();
  const statusId = `${id}-status`;
  const [draft, setDraftState] = useState('');
  // What the box holds right now, for the moment a send fails (a closure would hold the old text).
  const latestDraft = useRef('');
  const input = useRef<HTMLTextAreaElement>(null);
  const setDraft = (value: string) => {
    latestDraft.current = value;
    setDraftState(value);
  };
  const [failure, setFailure] = useState<string | null>(null);
  const closesAt = conversation?.window_expires_at ? Date.parse(conversation.window_expires_at) : null;
  const now = useNow(60_000, closesAt);
  const availability = replyAvailability(connection, conversation, now);
  const allowed = canReply(availability);
  const text = draft.trim();
  const channel = conversation?.channel ?? 'messenger';
  const limit = TEXT_LIMITS[channel];
  const over = text.length - limit;
  const [tooLong, setTooLong] = useState(false);

  async function send() {
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
    // Not while an input method is composing (Japanese, Chinese…): Enter confirms the characters there.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  }

  return (
    <form className="composer" onSubmit={onSubmit}>
      {failure && (
        <Alert tone="error" onDismiss={() => setFailure(null)}>
          {failure}
        </Alert>
      )}
      <label htmlFor={id} className="visually-hidden">
        Reply
      </label>
      <div className="composer__row">
        <textarea
          id={id}
          ref={input}
          className="composer__input"
          rows={2}
          value={draft}
          dir="auto"
          aria-invalid={over > 0 || undefined}
          placeholder={allowed ? 'Write a reply… (Enter to send, Shift+Enter for a new line)' : undefined}
          disabled={!allowed}
          aria-describedby={statusId}
          onChange={(event) => {
            setDraft(event.target.value);
            if (event.target.value.trim().length <= limit) setTooLong(false);
          }}
          onKeyDown={onKeyDown}
        />
        <Button type="submit" variant="primary" disabled={!allowed || !text || over > 0}>
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

function ReplyStatus({ id, availability }: { id: string; availability: ReplyAvailability }) {
  const integrations = <Link href="/settings/tab/integrations">Settings → Integrations</Link>;
  switch (availability.state) {
    case 'not_connected':
      return (
        <p id={id} className="composer__status composer__status--blocked">
          No Facebook Page is connected. Connect a Facebook Page in {integrations} to reply.
        </p>
      );
    case 'reauth_required':
      return (
        <p id={id} className="composer__status composer__status--blocked">
          Meta rejected Parley's access — reconnect in {integrations}.
        </p>
      );
    case 'window_closed':
      return (
        <p id={id} className="composer__status composer__status--blocked">
          The 24-hour reply window closed at {formatDateTime(availability.closedAt)}; Meta only allows replies
          within 24 hours of the customer's last message.
        </p>
      );
    case 'no_window':
      return (
        <p id={id} className="composer__status composer__status--blocked">
          This customer hasn't written yet; Meta only allows replies within 24 hours of the customer's last
          message.
        </p>
      );
    case 'open': {
      const soon = availability.msLeft < ONE_HOUR;
      return (
        <p id={id} className={`composer__status${soon ? ' composer__status--soon' : ''}`}>
          Reply window: {formatDuration(availability.msLeft)} left
        </p>
      );
    }
    case 'unknown':
      return <p id={id} className="composer__status" />;
  }
}
