// Desktop notifications, per browser (desktop-notifications.ts): off until turned on here, and the
// browser asks for permission only when the member clicks. What fires is told next to the switch.
import { useState } from 'react';
import {
  disableNotifications,
  enableNotifications,
  notificationPermission,
  notificationsChosen,
} from '../frame/desktop-notifications.ts';
import { Alert } from '../ui/alert.tsx';
import { Button } from '../ui/button.tsx';

export function NotificationsCard() {
  const [on, setOn] = useState(() => notificationsChosen() && notificationPermission() === 'granted');
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState(false);
  const permission = notificationPermission();

  async function turnOn() {
    setBusy(true);
    const enabled = await enableNotifications();
    setBusy(false);
    setOn(enabled);
    setRefused(!enabled);
  }

  return (
    <section className="card" aria-labelledby="notifications-title">
      <h2 id="notifications-title">Desktop notifications</h2>
      <p className="muted">
        While Parley's tab is in the background, this browser tells you about new customer messages in
        conversations assigned to you or to nobody, and about notes that mention you. Clicking one opens the
        conversation.
      </p>
      {permission === 'unsupported' ? (
        <p>This browser cannot show notifications.</p>
      ) : on ? (
        <p>
          <span className="badge badge--active">On in this browser</span>{' '}
          <Button
            variant="link"
            onClick={() => {
              disableNotifications();
              setOn(false);
            }}
          >
            Disable
          </Button>
        </p>
      ) : (
        <Button onClick={turnOn} busy={busy}>
          Enable desktop notifications
        </Button>
      )}
      {(refused || (!on && permission === 'denied')) && (
        <Alert tone="error">
          The browser blocks notifications for Parley. Allow them in the site settings (the icon left of the
          address), then try again.
        </Alert>
      )}
    </section>
  );
}
