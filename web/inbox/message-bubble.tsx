import type { AttachmentView } from '../api/contract.ts';
import { formatDateTime, formatMessageTime } from '../ui/date-format.ts';
import { DeliveryTick } from './delivery-tick.tsx';
import { attachmentLabel, safeMediaUrl } from './inbox-labels.ts';
import type { ThreadMessage } from './inbox-state.ts';

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
  const outbound = message.direction === 'outbound';
  return (
    <li
      id={`message-${message.id}`}
      className={`bubble bubble--${message.direction}`}
      data-status={message.status}
      data-found={found || undefined}
    >
      <span className="visually-hidden">{outbound ? 'You' : participant}: </span>
      {message.deleted ? (
        <p className="bubble__deleted">Message unsent</p>
      ) : (
        <>
          {message.text && (
            <p className="bubble__text" dir="auto">
              {message.text}
            </p>
          )}
          {message.attachments.map((attachment, index) => (
            // Attachments have no id of their own; their position in the message is stable.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above.
            <Attachment key={index} attachment={attachment} />
          ))}
        </>
      )}
      <span className="bubble__meta">
        {message.reaction && (
          <span className="bubble__reaction" role="img" aria-label={`Reacted ${message.reaction}`}>
            {message.reaction}
          </span>
        )}
        <time dateTime={message.sent_at} title={formatDateTime(message.sent_at)}>
          {formatMessageTime(message.sent_at, now)}
        </time>
        {outbound && <DeliveryTick status={message.status} failureReason={message.failureReason} />}
      </span>
    </li>
  );
}

function Attachment({ attachment }: { attachment: AttachmentView }) {
  const label = attachmentLabel(attachment);
  const url = safeMediaUrl(attachment.url);
  if (!url) return <p className="bubble__attachment bubble__attachment--missing">{label} (not available)</p>;
  if (attachment.type === 'image' || attachment.type === 'sticker') {
    return (
      <a className="bubble__attachment bubble__image" href={url} target="_blank" rel="noopener noreferrer">
        <img src={url} alt={label} loading="lazy" referrerPolicy="no-referrer" />
      </a>
    );
  }
  return (
    <a className="bubble__attachment" href={url} target="_blank" rel="noopener noreferrer">
      {label}
    </a>
  );
}
