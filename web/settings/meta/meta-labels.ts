import type { ConnectionStatus, PendingPageView, WebhookState } from '../../api/contract.ts';

export const statusLabels: Record<ConnectionStatus, string> = {
  active: 'Active',
  needs_attention: 'Needs attention',
  reauth_required: 'Reconnect required',
};

/** Shown when the server gives no `status_reason` of its own. */
export const statusExplanations: Record<ConnectionStatus, string | null> = {
  active: null,
  needs_attention: 'A webhook subscription failed. Parley retries it automatically.',
  reauth_required:
    'Facebook no longer accepts Parley’s access to this Page. Reconnect to keep receiving messages.',
};

/** The first line of the card's explanation for an unhealthy connection, above the reason. */
export const statusHeadlines: Record<ConnectionStatus, string | null> = {
  active: null,
  needs_attention: 'This connection needs attention.',
  reauth_required: "Parley can't receive or send messages for this Page.",
};

export const webhookLabels = {
  page: 'Page subscription',
  app_page: 'App subscription (Messenger)',
  app_instagram: 'App subscription (Instagram)',
} as const;

export const webhookStateLabels: Record<WebhookState, string> = {
  subscribed: 'Subscribed',
  pending: 'Pending',
  failed: 'Failed',
};

export function unavailableReasonLabel(reason: PendingPageView['unavailable_reason']): string {
  switch (reason) {
    case 'connected_to_another_organization':
      return 'Connected to another Parley organization';
    case 'missing_messaging_task':
      return "You can't manage messages for this Page";
    default:
      return 'This Page can’t be connected';
  }
}

export function instagramLabel(username: string | null): string {
  return username ? `@${username}` : 'No Instagram account';
}
