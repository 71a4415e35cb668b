// Settings → Integrations → Meta. Shows the organization's Facebook Page connection to every member;
// owners and admins also get the actions. The OAuth callback talks to this card through the URL:
// `?meta_error=<code>` shows why a connection failed, `?meta_select_page=true` opens the Page picker.
// Both are removed with history.replaceState once handled, so a reload or Back doesn't replay them
// (with `?meta_warning=grant_shrink`, which only accompanies the picker); `meta_error` and Facebook's
// `#_=_` as soon as they are read, the message staying on screen until dismissed. After a connect
// started in this browser (meta-connect-return.ts), a one-Page connect gets the picker's success notice
// and a Page choice still pending is offered again.
//
// What the card reads or changes is reported to the frame's health banner; a `connection.updated` live
// event (a health check, a webhook subscription, Meta's callbacks) reloads it. `onChanged` tells the
// Activity section that there may be something new to show.
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'wouter';
import type { ConnectionStatusResponse, ConnectionView, PendingPagesResponse } from '../../api/contract.ts';
import { apiGet } from '../../api/request.ts';
import { useApi } from '../../api/use-api.ts';
import { useLiveEvents } from '../../frame/live-events.tsx';
import { useMetaHealth } from '../../frame/meta-health.tsx';
import { canManageOrganization } from '../../session/roles.ts';
import { useSignedInSession } from '../../session/session-context.tsx';
import { Alert } from '../../ui/alert.tsx';
import { Button } from '../../ui/button.tsx';
import { Skeleton } from '../../ui/skeleton.tsx';
import { MetaConnectButton } from './meta-connect-button.tsx';
import { connectStartedRecently, dropFacebookFragment, forgetConnectStarted } from './meta-connect-return.ts';
import { MetaConnectionDetails } from './meta-connection-details.tsx';
import { MetaErrorBanner } from './meta-error-banner.tsx';
import { MetaHistoryImport } from './meta-history-import.tsx';
import { MetaPagePicker } from './meta-page-picker.tsx';

export function MetaCard({ onChanged }: { onChanged?: () => void }) {
  const { role } = useSignedInSession();
  const canManage = canManageOrganization(role);
  const [params, setParams] = useSearchParams();
  const status = useApi<ConnectionStatusResponse>('/api/integrations/meta');
  const [notice, setNotice] = useState<{ text: string; toInbox: boolean } | null>(null);
  const [choiceInProgress, setChoiceInProgress] = useState(false);
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

  // Read once: the parameter leaves the address bar at once, the message stays until dismissed.
  const [errorCode, setErrorCode] = useState(() => params.get('meta_error'));
  // Only the owner/admin who ran the flow can read the pending list; others just see the status.
  const picking = canManage && params.get('meta_select_page') === 'true';
  const hasErrorParam = params.has('meta_error');
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the parameter appears.
  useEffect(() => {
    if (hasErrorParam) {
      setErrorCode(params.get('meta_error'));
      forgetConnectStarted();
      removeParams('meta_error');
    }
    dropFacebookFragment();
  }, [hasErrorParam]);

  // "Couldn't subscribe yet" holds until the subscriptions succeed (Retry subscriptions here, the
  // background retry, another admin); then it would contradict the Subscribed rows below it.
  const subscribed = current?.connected === true && allSubscribed(current.connection);
  useEffect(() => {
    if (errorCode === 'webhook_subscription_failed' && subscribed) setErrorCode(null);
  }, [errorCode, subscribed]);

  // Back from Facebook without a parameter: a one-Page connect, or a choice left unfinished.
  const connectedPage = current?.connected ? current.connection.facebook_page_name : null;
  useEffect(() => {
    if (!canManage || picking || hasErrorParam || !current || !connectStartedRecently()) return;
    let cancelled = false;
    apiGet<PendingPagesResponse>('/api/integrations/meta/pending-pages').then(
      (pending) => {
        if (!cancelled && pending.pages.length > 0) setChoiceInProgress(true);
      },
      () => {
        // 404: no choice pending — the connect finished (one Page) or expired.
        if (cancelled) return;
        forgetConnectStarted();
        if (connectedPage) setNotice({ text: `${connectedPage} is connected.`, toInbox: true });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [canManage, picking, hasErrorParam, current, connectedPage]);

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
  const closePicker = () => {
    forgetConnectStarted();
    removeParams('meta_select_page', 'meta_warning');
  };
  const resumeChoice = () => {
    setChoiceInProgress(false);
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        next.set('meta_select_page', 'true');
        return next;
      },
      { replace: true },
    );
  };

  function onUpdated(connection: ConnectionView) {
    status.replace({ connected: true, connection });
    onChanged?.();
  }

  function onConnected(connection: ConnectionView) {
    onUpdated(connection);
    // A Page chosen in the picker can be saved with a failed subscription, as a one-Page connect can.
    if (allSubscribed(connection)) {
      setNotice({ text: `${connection.facebook_page_name} is connected.`, toInbox: true });
    } else {
      setErrorCode('webhook_subscription_failed');
    }
    closePicker();
  }

  function onDisconnected(pageName: string) {
    status.replace({ connected: false });
    onChanged?.();
    setNotice({
      text: `${pageName} was disconnected. Its conversation history stays in the inbox.`,
      toInbox: false,
    });
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
      {errorCode && (
        <MetaErrorBanner
          code={errorCode}
          onDismiss={() => {
            setErrorCode(null);
            removeParams('meta_error');
          }}
        />
      )}
      {notice && (
        <Alert tone="success" onDismiss={() => setNotice(null)}>
          {notice.text}
          {notice.toInbox && (
            <>
              {' '}
              Messages to it now arrive in Parley. <Link href="/inbox">Open the inbox</Link>
            </>
          )}
        </Alert>
      )}
      {choiceInProgress && !picking && (
        <Alert tone="info" title="You were choosing a Facebook Page.">
          <p>The Pages Facebook shared are kept for a few minutes; pick up where you left off.</p>
          <Button variant="primary" onClick={resumeChoice}>
            Continue choosing
          </Button>
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

function allSubscribed(connection: ConnectionView): boolean {
  return Object.values(connection.webhooks).every((state) => state === 'subscribed');
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
