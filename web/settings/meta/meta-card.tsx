// Settings → Integrations → Meta. Shows the organization's Facebook Page connection to every member;
// owners and admins also get the actions. The OAuth callback talks to this card through the URL:
// `?meta_error=<code>` shows why a connection failed, `?meta_select_page=true` opens the Page picker.
// Both are removed with history.replaceState once handled, so a reload or Back doesn't replay them
// (with `?meta_warning=grant_shrink`, which only accompanies the picker).
//
// What the card reads or changes is reported to the frame's health banner; a `connection.updated` live
// event (a health check, a webhook subscription, Meta's callbacks) reloads it. `onChanged` tells the
// Activity section that there may be something new to show.
import { useEffect, useState } from 'react';
import { useSearchParams } from 'wouter';
import type { ConnectionStatusResponse, ConnectionView } from '../../api/contract.ts';
import { useApi } from '../../api/use-api.ts';
import { useLiveEvents } from '../../frame/live-events.tsx';
import { useMetaHealth } from '../../frame/meta-health.tsx';
import { canManageOrganization } from '../../session/roles.ts';
import { useSignedInSession } from '../../session/session-context.tsx';
import { Alert } from '../../ui/alert.tsx';
import { Button } from '../../ui/button.tsx';
import { Skeleton } from '../../ui/skeleton.tsx';
import { MetaConnectButton } from './meta-connect-button.tsx';
import { MetaConnectionDetails } from './meta-connection-details.tsx';
import { MetaErrorBanner } from './meta-error-banner.tsx';
import { MetaHistoryImport } from './meta-history-import.tsx';
import { MetaPagePicker } from './meta-page-picker.tsx';

export function MetaCard({ onChanged }: { onChanged?: () => void }) {
  const { role } = useSignedInSession();
  const canManage = canManageOrganization(role);
  const [params, setParams] = useSearchParams();
  const status = useApi<ConnectionStatusResponse>('/api/integrations/meta');
  const [notice, setNotice] = useState<string | null>(null);
  const { report } = useMetaHealth();

  const current = status.status === 'ready' ? status.data : null;
  useEffect(() => {
    if (current) report(current);
  }, [current, report]);

  const reloadAll = () => {
    status.reload();
    onChanged?.();
  };
  useLiveEvents({
    onEvent: (event) => {
      if (event.type === 'connection.updated') reloadAll();
    },
    onReconnect: reloadAll,
  });

  const errorCode = params.get('meta_error');
  // Only the owner/admin who ran the flow can read the pending list; others just see the status.
  const picking = canManage && params.get('meta_select_page') === 'true';

  function removeParams(...names: string[]) {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const name of names) next.delete(name);
        return next;
      },
      { replace: true },
    );
  }
  const closePicker = () => removeParams('meta_select_page', 'meta_warning');

  function onUpdated(connection: ConnectionView) {
    status.replace({ connected: true, connection });
    onChanged?.();
  }

  function onConnected(connection: ConnectionView) {
    onUpdated(connection);
    setNotice(`${connection.facebook_page_name} is connected.`);
    closePicker();
  }

  function onDisconnected(pageName: string) {
    status.replace({ connected: false });
    onChanged?.();
    setNotice(`${pageName} was disconnected. Its conversation history stays in the inbox.`);
  }

  return (
    <section className="card meta-card" data-testid="meta-card" aria-labelledby="meta-card-title">
      <div className="card__header">
        <span className="meta-card__logo" aria-hidden="true">
          f
        </span>
        <div>
          <h2 id="meta-card-title">Meta</h2>
          <p className="muted">
            Facebook Messenger and Instagram direct messages, through your Facebook Page.
          </p>
        </div>
      </div>
      {errorCode && <MetaErrorBanner code={errorCode} onDismiss={() => removeParams('meta_error')} />}
      {notice && (
        <Alert tone="success" onDismiss={() => setNotice(null)}>
          {notice}
        </Alert>
      )}
      {picking ? (
        <MetaPagePicker onConnected={onConnected} onCancel={closePicker} />
      ) : status.status === 'loading' ? (
        <Skeleton label="Loading the Meta connection…" />
      ) : status.status === 'error' ? (
        <Alert title="The Meta connection could not be loaded.">
          <p>{status.error.message}</p>
          <Button onClick={status.reload}>Try again</Button>
        </Alert>
      ) : status.data.connected ? (
        <>
          <MetaConnectionDetails
            connection={status.data.connection}
            canManage={canManage}
            onUpdated={onUpdated}
            onDisconnected={onDisconnected}
          />
          <MetaHistoryImport />
        </>
      ) : (
        <NotConnected canManage={canManage} />
      )}
    </section>
  );
}

function NotConnected({ canManage }: { canManage: boolean }) {
  return (
    <div className="meta-not-connected">
      <p>
        <strong>Not connected.</strong> Connect your Facebook Page, and the Instagram account linked to it, to
        answer their messages here.
      </p>
      {canManage ? (
        <MetaConnectButton />
      ) : (
        <p className="muted">Ask an owner or admin of your organization to connect it.</p>
      )}
    </div>
  );
}
