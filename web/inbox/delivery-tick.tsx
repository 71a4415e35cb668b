// An outbound message's delivery state, as messaging apps show it: a clock while sending, ✓ sent,
// ✓✓ delivered, ✓✓ in the accent colour once read. Each is an image with a name ("Delivered"), so
// screen readers and tests read the state rather than the glyph; a failed send says so in words.
import type { MessageStatus } from '../api/contract.ts';

type ShownStatus = Exclude<MessageStatus, 'received' | 'failed'>;

const tickLabels: Record<ShownStatus, string> = {
  pending: 'Sending',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
};

export function DeliveryTick({ status, failureReason }: { status: MessageStatus; failureReason?: string }) {
  if (status === 'received') return null;
  if (status === 'failed') {
    return <span className="tick tick--failed">Not sent{failureReason ? `: ${failureReason}` : ''}</span>;
  }
  const label = tickLabels[status];
  return (
    <span className={`tick tick--${status}`} role="img" aria-label={label} title={label}>
      {status === 'pending' ? <ClockIcon /> : status === 'sent' ? <CheckIcon /> : <DoubleCheckIcon />}
    </span>
  );
}

function ClockIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      <circle cx="8" cy="8" r="6.25" fill="none" stroke="currentColor" strokeWidth="1.5" />
      <path d="M8 4.5V8l2.5 1.5" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
    </svg>
  );
}

function CheckIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      <path
        d="M2.5 8.5l3 3 7-7"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.75"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

function DoubleCheckIcon() {
  return (
    <svg viewBox="0 0 20 16" width="18" height="14" aria-hidden="true" focusable="false">
      <path
        d="M1.5 8.5l3 3 7-7M8.5 11.5l7-7"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.75"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
