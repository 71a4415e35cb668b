// Subscribes a connected Page to webhooks at both levels Meta requires (R31, field lessons row 5):
// the Page installs our app for META_WEBHOOK_FIELDS, and the app subscribes `page` and `instagram`
// objects to our callback URL. App-level subscriptions are app-wide, so they are checked first and
// only (re)posted when missing or different — not repeated blindly at every connect.
import type { GraphClient } from '../meta/graph-client.ts';
import { listAppSubscriptions, subscribeApp, subscribePage } from '../meta/pages.ts';
import type { WebhookState } from './connection-table.ts';

/** Instagram messaging fields at app level; IG echoes arrive inside `messages`. */
export const INSTAGRAM_FIELDS = [
  'messages',
  'messaging_seen',
  'message_reactions',
  'messaging_postbacks',
  'messaging_referral',
  'standby',
];

export interface SubscriptionOutcome {
  page: WebhookState;
  app_page: WebhookState;
  app_instagram: WebhookState;
  /** The first failure, for classification and the status reason. */
  error: unknown;
}

export interface SubscriberOptions {
  graph: GraphClient;
  callbackUrl: string;
  verifyToken: string;
  pageFields: string[];
}

export async function subscribeAll(
  opts: SubscriberOptions,
  pageId: string,
  pageToken: string,
): Promise<SubscriptionOutcome> {
  const outcome: SubscriptionOutcome = {
    page: 'pending',
    app_page: 'pending',
    app_instagram: 'pending',
    error: null,
  };
  const fail = (err: unknown) => {
    outcome.error ??= err;
    return 'failed' as const;
  };

  // The Page-level and app-level subscriptions are independent: run them side by side so that
  // connecting costs one sequential round trip here, not two.
  const page = subscribePage(opts.graph, pageId, pageToken, opts.pageFields)
    .then((ok) => (ok ? ('subscribed' as const) : fail(new Error('Meta answered success: false'))))
    .catch(fail);
  const app = subscribeAppLevel(opts, fail);
  const [pageState, appStates] = await Promise.all([page, app]);
  outcome.page = pageState;
  outcome.app_page = appStates.app_page;
  outcome.app_instagram = appStates.app_instagram;
  return outcome;
}

export const allSubscribed = (o: Pick<SubscriptionOutcome, 'page' | 'app_page' | 'app_instagram'>) =>
  o.page === 'subscribed' && o.app_page === 'subscribed' && o.app_instagram === 'subscribed';

async function subscribeAppLevel(
  opts: SubscriberOptions,
  fail: (err: unknown) => 'failed',
): Promise<{ app_page: WebhookState; app_instagram: WebhookState }> {
  let existing: Awaited<ReturnType<typeof listAppSubscriptions>>;
  try {
    existing = await listAppSubscriptions(opts.graph);
  } catch (err) {
    return { app_page: fail(err), app_instagram: 'failed' };
  }
  const states: { app_page: WebhookState; app_instagram: WebhookState } = {
    app_page: 'pending',
    app_instagram: 'pending',
  };
  const wanted = [
    ['app_page', 'page', opts.pageFields],
    ['app_instagram', 'instagram', INSTAGRAM_FIELDS],
  ] as const;
  for (const [slot, object, fields] of wanted) {
    const current = existing.find((s) => s.object === object);
    const upToDate =
      current?.active &&
      current.callbackUrl === opts.callbackUrl &&
      fields.every((f) => current.fields.includes(f));
    if (upToDate) {
      states[slot] = 'subscribed';
      continue;
    }
    states[slot] = await subscribeApp(opts.graph, {
      object,
      callbackUrl: opts.callbackUrl,
      fields: [...fields],
      verifyToken: opts.verifyToken,
    })
      .then((ok) => (ok ? ('subscribed' as const) : fail(new Error('Meta answered success: false'))))
      .catch(fail);
  }
  return states;
}
