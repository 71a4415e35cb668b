// The wording of the connection alerts (issue 14 item 5) sent to an organization's owners and admins:
// a Page needs reconnecting, its webhook subscriptions keep failing, Meta sent a data-deletion request.
// Each links to Settings → Integrations, where the card says the same and offers the fix.
import { mailMessage } from './mail-message.ts';
import type { MailMessage } from './mailer.ts';

interface AlertInput {
  to: string;
  organization: string;
  page: string;
  reason: string | null;
  url: string;
}

export function reconnectMail(input: AlertInput): MailMessage {
  return mailMessage(
    input.to,
    `Reconnect ${input.page} to Parley`,
    [
      `Parley can no longer reach ${input.page} for ${input.organization}: new messages are not arriving and replies cannot be sent until someone reconnects it with Facebook.`,
      ...(input.reason ? [`Meta's answer: ${input.reason}`] : []),
    ],
    { label: 'Reconnect in Settings → Integrations', url: input.url },
  );
}

export function subscriptionFailingMail(input: AlertInput): MailMessage {
  return mailMessage(
    input.to,
    `Messages from ${input.page} may not reach Parley`,
    [
      `Parley keeps failing to subscribe ${input.page} (${input.organization}) to Meta's webhooks, so new messages may not arrive. Parley keeps retrying; this is the only e-mail about it until the Page is healthy again.`,
      ...(input.reason ? [input.reason] : []),
    ],
    { label: 'See the connection in Settings → Integrations', url: input.url },
  );
}

export function deletionRequestMail(input: {
  to: string;
  organization: string;
  pages: string[];
  code: string;
  url: string;
}): MailMessage {
  return mailMessage(
    input.to,
    'Meta asked Parley to delete a connection’s data',
    [
      `The Facebook user who connected ${input.pages.join(', ')} for ${input.organization} asked Meta to delete their data from Parley. The connection and its access token were deleted (confirmation code ${input.code}); conversations stay.`,
      'Connect a Page again in Settings → Integrations to keep receiving messages.',
    ],
    { label: 'Open Settings → Integrations', url: input.url },
  );
}
