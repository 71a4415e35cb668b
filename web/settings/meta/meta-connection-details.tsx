import { useState } from 'react';
import type { ConnectionView } from '../../api/contract.ts';
import { Alert } from '../../ui/alert.tsx';
import { DAY_MS, formatDate, formatDateTime, formatTimeAgo } from '../../ui/date-format.ts';
import { useNow } from '../../ui/use-now.ts';
import { MetaActionButton } from './meta-action-button.tsx';
import { MetaConnectButton } from './meta-connect-button.tsx';
import { MetaDisconnect } from './meta-disconnect.tsx';
import {
  instagramLabel,
  statusExplanations,
  statusHeadlines,
  statusLabels,
  webhookLabels,
  webhookStateLabels,
} from './meta-labels.ts';

/** Meta's data access for the connecting user lasts 90 days from their last login; warn this early. */
export const DATA_ACCESS_WARNING_DAYS = 14;

type Props = {
  connection: ConnectionView;
  /** Owners and admins get the actions; agents see the same facts read-only. */
  canManage: boolean;
  onUpdated: (connection: ConnectionView) => void;
  onDisconnected: (pageName: string) => void;
};

export function MetaConnectionDetails({ connection, canManage, onUpdated, onDisconnected }: Props) {
  const { status, webhooks } = connection;
  const now = useNow();
  // What the last "Check now" or "Refresh Instagram link" found, said politely (a status region).
  const [outcome, setOutcome] = useState('');
  const webhookEntries = Object.entries(webhooks) as [
    keyof typeof webhooks,
    ConnectionView['webhooks']['page'],
  ][];
  const subscriptionFailed =
    status === 'needs_attention' || webhookEntries.some(([, state]) => state === 'failed');
  const dataAccess = dataAccessEnd(connection, now);
  const offerReconnect = status !== 'active' || dataAccess !== null;

  function updated(next: ConnectionView, message: string) {
    setOutcome(message);
    onUpdated(next);
  }

  return (
    <div className="meta-connection">
      <div className="meta-connection__heading">
        <h3>{connection.facebook_page_name}</h3>
        <span className={`badge badge--${status}`}>{statusLabels[status]}</span>
      </div>
      <StatusExplanation connection={connection} canManage={canManage} />
      {dataAccess && (
        <Alert tone="warning" data-testid="meta-data-access">
          <p>
            Meta's data access for {connection.connected_by.email} {dataAccess.ended ? 'ended' : 'ends'} on{' '}
            <time dateTime={dataAccess.at}>{formatDate(dataAccess.at)}</time> —{' '}
            {dataAccess.ended ? 'reconnect to restore it.' : 'reconnect before then.'}
          </p>
        </Alert>
      )}
      <dl className="facts">
        <div>
          <dt>Instagram</dt>
          <dd>{instagramLabel(connection.instagram_username)}</dd>
        </div>
        <div>
          <dt>Webhooks</dt>
          <dd>
            <ul className="webhooks">
              {webhookEntries.map(([kind, state]) => (
                <li key={kind}>
                  <span>{webhookLabels[kind]}</span>{' '}
                  <span className={`webhook-state webhook-state--${state}`}>{webhookStateLabels[state]}</span>
                </li>
              ))}
            </ul>
          </dd>
        </div>
      </dl>
      <div className="meta-connection__times">
        <p>
          Connected by {connection.connected_by.email} on{' '}
          <time dateTime={connection.connected_at}>{formatDate(connection.connected_at)}</time>
        </p>
        <p>
          {connection.last_webhook_at ? (
            <>
              Last message from Meta: <TimeAgo iso={connection.last_webhook_at} now={now} />
            </>
          ) : (
            'No webhook received yet'
          )}
        </p>
        <p>
          Last checked:{' '}
          {connection.last_health_check_at ? (
            <TimeAgo iso={connection.last_health_check_at} now={now} />
          ) : (
            'not yet'
          )}
        </p>
      </div>
      {canManage ? (
        <>
          <div className="actions">
            {subscriptionFailed && (
              <MetaActionButton
                label="Retry subscriptions"
                variant="primary"
                onDone={(next) => updated(next, '')}
              />
            )}
            {offerReconnect && (
              <MetaConnectButton label="Reconnect" variant={subscriptionFailed ? 'secondary' : 'primary'} />
            )}
            <MetaActionButton
              label="Check now"
              onDone={(next) => updated(next, `Check finished: ${statusLabels[next.status]}.`)}
            />
            {status !== 'reauth_required' && (
              <MetaActionButton
                label="Refresh Instagram link"
                onDone={(next) =>
                  updated(
                    next,
                    next.instagram_username
                      ? `Instagram link refreshed: @${next.instagram_username}.`
                      : 'Instagram link refreshed: no Instagram account is linked to this Page.',
                  )
                }
              />
            )}
            <MetaDisconnect
              pageName={connection.facebook_page_name}
              onDisconnected={() => onDisconnected(connection.facebook_page_name)}
            />
          </div>
          <p role="status" className="meta-connection__outcome">
            {outcome}
          </p>
        </>
      ) : (
        <p className="muted">Only owners and admins can change this connection.</p>
      )}
    </div>
  );
}

/**
 * Why an unhealthy connection is unhealthy, prominently (the server's `status_reason`, or a generic
 * explanation), and what to do about it.
 */
function StatusExplanation({ connection, canManage }: { connection: ConnectionView; canManage: boolean }) {
  const { status } = connection;
  const reason = connection.status_reason ?? statusExplanations[status];
  const headline = statusHeadlines[status];
  if (!headline) return reason ? <p className="meta-connection__reason">{reason}</p> : null;
  return (
    <div className={`status-callout status-callout--${status}`} data-testid="meta-status-reason">
      <p className="status-callout__title">{headline}</p>
      {reason && <p>{reason}</p>}
      {status === 'reauth_required' && (
        <p>
          {canManage
            ? 'Choose Reconnect and log in with Facebook again: the connection, its conversations and their history are kept.'
            : 'Ask an owner or admin of your organization to reconnect it.'}
        </p>
      )}
    </div>
  );
}

function TimeAgo({ iso, now }: { iso: string; now: number }) {
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatTimeAgo(iso, now)}
    </time>
  );
}

/** When Meta's data access ends, if that is within the warning period (or already past). */
function dataAccessEnd(connection: ConnectionView, now: number): { at: string; ended: boolean } | null {
  const at = connection.data_access_expires_at;
  if (!at) return null;
  const left = Date.parse(at) - now;
  if (Number.isNaN(left) || left > DATA_ACCESS_WARNING_DAYS * DAY_MS) return null;
  return { at, ended: left <= 0 };
}
