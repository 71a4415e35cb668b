import { formatDateTime, formatMessageTime } from '../ui/date-format.ts';
import { DeliveryTick } from './delivery-tick.tsx';
import { referralLabel } from './inbox-labels.ts';
import type { ThreadMessage } from './inbox-state.ts';
import { MessageAttachment } from './message-attachment.tsx';
import { NoteBubble } from './note-bubble.tsx';

/** One message: the customer's on the left, ours on the right with its delivery tick. */
export function MessageBubble({
  message,
  participant,
  now,
  found = false,
}: {
  message: ThreadMessage;
  participant: string;
  now: number;
  /** The message a search hit opened the thread at. */
  found?: boolean;
}) {
  if (message.kind === 'note') return <NoteBubble message={message} now={now} found={found} />;
  const outbound = message.direction === 'outbound';
  // Who sent our side: the member's name, or Meta's app for a reply made outside Parley.
  const author = outbound ? message.author : null;
  const authorLabel = author ? (author.id === null ? `Sent from ${author.name}` : author.name) : null;
  return (
    <li
      id={`message-${message.id}`}
      className={`bubble bubble--${message.direction}`}
      data-status={message.status}
      data-found={found || undefined}
    >
      <span className="visually-hidden">{outbound ? (authorLabel ?? 'You') : participant}: </span>
      {message.standby && (
        <p className="bubble__note">Received while another app handled this conversation</p>
      )}
      {message.referral && <p className="bubble__note">From {referralLabel(message.referral)}</p>}
      {message.deleted ? (
        <p className="bubble__deleted">Message unsent</p>
      ) : (
        <>
          {message.reply_to && (
            <blockquote className="bubble__quote">
              <span className="visually-hidden">In reply to: </span>
              {message.reply_to.text ?? 'an earlier message'}
            </blockquote>
          )}
          {message.attachments.map((attachment, index) => (
            // Attachments have no id of their own; their position in the message is stable.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above.
            <MessageAttachment key={index} attachment={attachment} />
          ))}
          {message.text && (
            <p className="bubble__text" dir="auto">
              {message.text}
            </p>
          )}
          {message.unsupported && (
            <p className="bubble__deleted">This message type can't be shown here. Open it in Meta's app.</p>
          )}
          {message.payload && (
            <span className="bubble__chip" title="Button or quick reply payload">
              {message.payload}
            </span>
          )}
        </>
      )}
      <span className="bubble__meta">
        {message.reaction && (
          <span className="bubble__reaction" role="img" aria-label={`Reacted ${message.reaction}`}>
            {message.reaction}
          </span>
        )}
        {message.edit_count ? <span className="bubble__edited">Edited</span> : null}
        {authorLabel && (
          <span className="bubble__author" aria-hidden="true" title={authorLabel}>
            {authorLabel}
          </span>
        )}
        <time dateTime={message.sent_at} title={formatDateTime(message.sent_at)}>
          {formatMessageTime(message.sent_at, now)}
        </time>
        {outbound && <DeliveryTick status={message.status} failureReason={message.failure_reason} />}
      </span>
    </li>
  );
}
