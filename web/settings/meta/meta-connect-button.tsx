import { useState } from 'react';
import type { OAuthUrlResponse } from '../../api/contract.ts';
import { apiGet } from '../../api/request.ts';
import { useAction } from '../../api/use-action.ts';
import { Button } from '../../ui/button.tsx';
import { rememberConnectStarted } from './meta-connect-return.ts';

/**
 * Starts Facebook Login: asks the server for the dialog URL (which also sets the cookie binding the
 * flow to this browser), then leaves for it. The button stays busy until the browser has left.
 */
export function MetaConnectButton({
  label = 'Connect with Facebook',
  variant = label === 'Reconnect' ? 'primary' : 'facebook',
}: {
  label?: 'Connect with Facebook' | 'Reconnect' | 'Connect again';
  variant?: 'primary' | 'secondary' | 'facebook';
}) {
  const [leaving, setLeaving] = useState(false);
  const [badUrl, setBadUrl] = useState(false);
  const start = useAction(() => apiGet<OAuthUrlResponse>('/api/integrations/meta/oauth-url'));

  async function connect() {
    setBadUrl(false);
    const result = await start.run();
    if (!result.ok) return;
    // Only ever navigate to a web URL: a `javascript:` URL here would run in our origin.
    if (!/^https?:\/\//i.test(result.value.url)) {
      setBadUrl(true);
      return;
    }
    setLeaving(true);
    rememberConnectStarted();
    window.location.assign(result.value.url);
  }

  return (
    <div className="connect">
      <Button variant={variant} busy={start.busy || leaving} onClick={connect}>
        {label}
      </Button>
      {(start.error || badUrl) && (
        <p role="alert" className="inline-error">
          {start.error?.message ?? 'Parley could not start the Facebook login. Try again.'}
        </p>
      )}
    </div>
  );
}
