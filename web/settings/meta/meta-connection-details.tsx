import type { ConnectionView } from '../../api/contract.ts';
import { formatDate } from '../../ui/date-format.ts';
import { MetaConnectButton } from './meta-connect-button.tsx';
import { MetaDisconnect } from './meta-disconnect.tsx';
import {
  instagramLabel,
  statusExplanations,
  statusLabels,
  webhookLabels,
  webhookStateLabels,
} from './meta-labels.ts';
import { MetaRetryButton } from './meta-retry-button.tsx';

type Props = {
  connection: ConnectionView;
  /** Owners and admins get the actions; agents see the same facts read-only. */
  canManage: boolean;
  onUpdated: (connection: ConnectionView) => void;
  onDisconnected: (pageName: string) => void;
};

export function MetaConnectionDetails({ connection, canManage, onUpdated, onDisconnected }: Props) {
  const { status, webhooks } = connection;
  const reason = connection.status_reason ?? statusExplanations[status];
  const webhookEntries = Object.entries(webhooks) as [
    keyof typeof webhooks,
    ConnectionView['webhooks']['page'],
  ][];
  const subscriptionFailed =
    status === 'needs_attention' || webhookEntries.some(([, state]) => state === 'failed');

  return (
    <div className="meta-connection">
      <div className="meta-connection__heading">
        <h3>{connection.facebook_page_name}</h3>
        <span className={`badge badge--${status}`}>{statusLabels[status]}</span>
      </div>
      {reason && <p className="meta-connection__reason">{reason}</p>}
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
      <p className="muted">
        Connected by {connection.connected_by.email} on{' '}
        <time dateTime={connection.connected_at}>{formatDate(connection.connected_at)}</time>
      </p>
      {canManage ? (
        <div className="actions">
          {status === 'reauth_required' && <MetaConnectButton label="Reconnect" />}
          {subscriptionFailed && <MetaRetryButton onUpdated={onUpdated} />}
          <MetaDisconnect
            pageName={connection.facebook_page_name}
            onDisconnected={() => onDisconnected(connection.facebook_page_name)}
          />
        </div>
      ) : (
        <p className="muted">Only owners and admins can change this connection.</p>
      )}
    </div>
  );
}
