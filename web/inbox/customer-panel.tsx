// The customer panel (issue 12 item 7): who the conversation is with — picture, name, channel, Instagram
// handle (once: under the name, or "Not known yet" among the facts), first contact — and the
// conversation's assignee (the same menu as the thread header) and status. From 1100 px wide it stands
// beside the thread, shown unless the member hid it ("Details" toggles it; the choice is remembered);
// narrower, it is a sheet over the thread, opened by "Details" and closed by its Close button or
// Escape. Status is shown as text: the Resolve button and its E shortcut live once, in the thread
// header.
import { type Ref, type RefObject, useCallback, useEffect, useId, useRef, useState } from 'react';
import type { ConversationView } from '../api/contract.ts';
import { Button } from '../ui/button.tsx';
import { formatDate, formatDateTime } from '../ui/date-format.ts';
import { useMediaQuery } from '../ui/use-media-query.ts';
import { AssigneeMenu } from './assignee-menu.tsx';
import { Avatar } from './avatar.tsx';
import { ChannelBadge } from './channel-badge.tsx';
import { participantName } from './inbox-labels.ts';
import './customer-panel.css';

export const WIDE_QUERY = '(min-width: 1100px)';
const HIDDEN_KEY = 'parley:customer-panel-hidden';

export interface PanelState {
  /** Beside the thread (wide screens), or a sheet over it. */
  wide: boolean;
  open: boolean;
  toggle: () => void;
  close: () => void;
}

export function useCustomerPanel(): PanelState {
  const wide = useMediaQuery(WIDE_QUERY);
  const [hiddenWide, setHiddenWide] = useState(() => localStorage.getItem(HIDDEN_KEY) === '1');
  const [openNarrow, setOpenNarrow] = useState(false);
  const setWide = useCallback((hidden: boolean) => {
    setHiddenWide(hidden);
    if (hidden) localStorage.setItem(HIDDEN_KEY, '1');
    else localStorage.removeItem(HIDDEN_KEY);
  }, []);
  const open = wide ? !hiddenWide : openNarrow;
  return {
    wide,
    open,
    toggle: () => (wide ? setWide(!hiddenWide) : setOpenNarrow(!openNarrow)),
    close: () => (wide ? setWide(true) : setOpenNarrow(false)),
  };
}

export function DetailsToggle({
  panel,
  controls,
  ref,
}: {
  panel: PanelState;
  controls: string;
  ref?: Ref<HTMLButtonElement>;
}) {
  return (
    <Button
      ref={ref}
      className="details-toggle"
      aria-expanded={panel.open}
      aria-controls={controls}
      onClick={panel.toggle}
      title={panel.open ? 'Hide the customer details' : 'Show the customer details'}
    >
      Details
    </Button>
  );
}

export function CustomerPanel({
  id,
  conversation,
  panel,
  onAssign,
  returnFocus,
}: {
  id: string;
  conversation: ConversationView;
  panel: PanelState;
  onAssign?: ((assigneeId: string | null) => Promise<void>) | undefined;
  /** Where focus goes back when the sheet closes (the Details button). */
  returnFocus?: RefObject<HTMLElement | null>;
}) {
  const titleId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const { participant } = conversation;
  const sheet = !panel.wide;
  const name = participantName(participant);
  // Someone known only by their Instagram username is named "@username" (the history import does so);
  // the handle line would then repeat the name.
  const handle = participant.handle ? `@${participant.handle}` : null;
  const handleLine = handle && handle.toLowerCase() !== name.toLowerCase() ? handle : null;

  // A sheet takes focus when it opens, and gives it back to where it was opened from.
  useEffect(() => {
    if (!sheet || !panel.open) return;
    heading.current?.focus();
    const back = returnFocus?.current;
    return () => back?.focus();
  }, [sheet, panel.open, returnFocus]);

  useEffect(() => {
    if (!sheet || !panel.open) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') panel.close();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [sheet, panel]);

  if (!panel.open) return null;
  return (
    <>
      {sheet && <div className="customer-panel__backdrop" aria-hidden="true" onClick={panel.close} />}
      <aside
        id={id}
        className={`customer-panel${sheet ? ' customer-panel--sheet' : ''}`}
        aria-labelledby={titleId}
      >
        <div className="customer-panel__top">
          <h2 id={titleId} ref={heading} tabIndex={-1} className="customer-panel__title">
            Details
          </h2>
          <Button onClick={panel.close} aria-label="Close the details" className="customer-panel__close">
            <span aria-hidden="true">×</span>
          </Button>
        </div>
        <div className="customer-panel__who">
          <Avatar participant={participant} size="large" />
          <p className="customer-panel__name" dir="auto">
            {name}
          </p>
          {handleLine && (
            <p className="customer-panel__handle" dir="auto">
              {handleLine}
            </p>
          )}
        </div>
        <dl className="customer-panel__facts">
          <div>
            <dt>Channel</dt>
            <dd>
              <ChannelBadge channel={conversation.channel} />
            </dd>
          </div>
          {/* A known handle is shown once, under the name; the row says when it is not known yet. */}
          {conversation.channel === 'instagram' && !handle && (
            <div>
              <dt>Instagram</dt>
              <dd>Not known yet</dd>
            </div>
          )}
          <div>
            <dt>First contact</dt>
            <dd>
              {conversation.first_contact_at ? (
                <time
                  dateTime={conversation.first_contact_at}
                  title={formatDateTime(conversation.first_contact_at)}
                >
                  {formatDate(conversation.first_contact_at)}
                </time>
              ) : (
                '—'
              )}
            </dd>
          </div>
          <div>
            <dt>Status</dt>
            <dd>
              <span className={`status-text status-text--${conversation.status}`}>
                {conversation.status === 'open' ? 'Open' : 'Resolved'}
              </span>
            </dd>
          </div>
          <div>
            <dt>Assignee</dt>
            <dd>
              {onAssign ? (
                <AssigneeMenu assignee={conversation.assignee} onAssign={onAssign} />
              ) : (
                (conversation.assignee?.name ?? 'Unassigned')
              )}
            </dd>
          </div>
        </dl>
      </aside>
    </>
  );
}
