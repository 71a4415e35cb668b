// Settings → Integrations → Meta. Shows the organization's Facebook Page connection to every member;
// owners and admins also get the actions. The OAuth callback talks to this card through the URL:
// `?meta_error=<code>` shows why a connection failed, `?meta_select_page=true` opens the Page picker.
// Both are removed with history.replaceState once handled, so a reload or Back doesn't replay them.
import { useState } from 'react';
import { useSearchParams } from 'wouter';
import type { ConnectionStatusResponse, ConnectionView } from '../../api/contract.ts';
import { useApi } from '../../api/use-api.ts';
import { canManageOrganization } from '../../session/roles.ts';
import { useSignedInSession } from '../../session/session-context.tsx';
import { Alert } from '../../ui/alert.tsx';
import { Button } from '../../ui/button.tsx';
import { Skeleton } from '../../ui/skeleton.tsx';
import { MetaConnectButton } from './meta-connect-button.tsx';
import { MetaConnectionDetails } from './meta-connection-details.tsx';
import { MetaErrorBanner } from './meta-error-banner.tsx';
import { MetaPagePicker } from './meta-page-picker.tsx';

export function MetaCard() {
  const { role } = useSignedInSession();
  const canManage = canManageOrganization(role);
  const [params, setParams] = useSearchParams();
  const status = useApi<ConnectionStatusResponse>('/api/integrations/meta');
  const [notice, setNotice] = useState<string | null>(null);

  const errorCode = params.get('meta_error');
  // Only the owner/admin who ran the flow can read the pending list; others just see the status.
  const picking = canManage && params.get('meta_select_page') === 'true';

  function removeParam(name: string) {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        next.delete(name);
        return next;
      },
      { replace: true },
    );
  }

  function onConnected(connection: ConnectionView) {
    status.replace({ connected: true, connection });
    setNotice(`${connection.facebook_page_name} is connected.`);
    removeParam('meta_select_page');
  }

  function onDisconnected(pageName: string) {
    status.replace({ connected: false });
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
      {errorCode && <MetaErrorBanner code={errorCode} onDismiss={() => removeParam('meta_error')} />}
      {notice && (
        <Alert tone="success" onDismiss={() => setNotice(null)}>
          {notice}
        </Alert>
      )}
      {picking ? (
        <MetaPagePicker onConnected={onConnected} onCancel={() => removeParam('meta_select_page')} />
      ) : status.status === 'loading' ? (
        <Skeleton label="Loading the Meta connection…" />
      ) : status.status === 'error' ? (
        <Alert title="The Meta connection could not be loaded.">
          <p>{status.error.message}</p>
          <Button onClick={status.reload}>Try again</Button>
        </Alert>
      ) : status.data.connected ? (
        <MetaConnectionDetails
          connection={status.data.connection}
          canManage={canManage}
          onUpdated={(connection) => status.replace({ connected: true, connection })}
          onDisconnected={onDisconnected}
        />
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
