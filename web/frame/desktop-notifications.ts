// The browser's Notification API behind a per-browser choice (localStorage): off until the member turns
// it on, and permission is asked only then, from their click (browsers ignore or penalise a prompt that
// no gesture asked for). Clicking a notification brings the tab forward and opens the conversation.
import type { NotificationSpec } from './notification-decision.ts';

const KEY = 'parley.desktop-notifications';

export function notificationPermission(): NotificationPermission | 'unsupported' {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

export function notificationsChosen(): boolean {
  try {
    return localStorage.getItem(KEY) === 'on';
  } catch {
    return false;
  }
}

function remember(on: boolean): void {
  try {
    if (on) localStorage.setItem(KEY, 'on');
    else localStorage.removeItem(KEY);
  } catch {
    // Private modes may refuse storage; the choice then lasts as long as the page.
  }
}

/** Turns them on (asking for permission if the browser has not been asked yet); true when they are. */
export async function enableNotifications(): Promise<boolean> {
  if (typeof Notification === 'undefined') return false;
  const permission =
    Notification.permission === 'default' ? await Notification.requestPermission() : Notification.permission;
  const on = permission === 'granted';
  remember(on);
  return on;
}

export function disableNotifications(): void {
  remember(false);
}

export function showNotification(spec: NotificationSpec, open: (conversationId: string) => void): void {
  if (typeof Notification === 'undefined') return;
  try {
    const notification = new Notification(spec.title, { body: spec.body, tag: spec.tag });
    notification.onclick = () => {
      window.focus();
      open(spec.conversationId);
      notification.close();
    };
  } catch {
    // Some browsers (Android Chrome) only allow notifications from a service worker.
  }
}
