import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import type { MetaErrorCode, Role } from '../../api/contract.ts';
import { apiError, deferredResponse, json, type Routes, stubApi } from '../../test-support/fetch-stub.ts';
import { activityRoute, connection, minutesAgo, session } from '../../test-support/fixtures.ts';
import { renderApp, resetTestEnvironment, stubLocationAssign } from '../../test-support/render-app.tsx';
import { formatDate, formatDateTime } from '../../ui/date-format.ts';

afterEach(resetTestEnvironment);

const INTEGRATIONS = '/settings/tab/integrations';

/** Signed in; owners and admins also get the (empty) Activity list under the card. */
function signedInAs(role: Role): Routes {
  return { 'GET /api/auth/me': () => json(200, session(role)), ...activityRoute() };
}

async function metaCard() {
  const card = await screen.findByTestId('meta-card');
  await waitFor(() => expect(within(card).queryByRole('status', { busy: true })).toBeNull());
  return card;
}

describe('Meta card, not connected', () => {
  test('shows a skeleton, not "not connected", until the status has loaded', async () => {
    const status = deferredResponse();
    stubApi({ ...signedInAs('owner'), 'GET /api/integrations/meta': status.handler });
    renderApp(INTEGRATIONS);

    const card = await screen.findByTestId('meta-card');
    expect(within(card).getByRole('status').textContent).toBe('Loading the Meta connection…');
    expect(within(card).queryByRole('button', { name: 'Connect with Facebook' })).toBeNull();
    expect(within(card).queryByText(/Not connected/)).toBeNull();

    status.resolve(json(200, { connected: false }));
    expect(await within(card).findByRole('button', { name: 'Connect with Facebook' })).toBeTruthy();
    expect(within(card).getByText(/Not connected/)).toBeTruthy();
  });

  test('Connect with Facebook is busy while the URL is fetched, then leaves for Facebook', async () => {
    const assign = stubLocationAssign();
    const oauthUrl = deferredResponse();
    const dialog = 'https://www.facebook.com/v27.0/dialog/oauth?client_id=1&state=abc';
    stubApi({
      ...signedInAs('admin'),
      'GET /api/integrations/meta': () => json(200, { connected: false }),
      'GET /api/integrations/meta/oauth-url': oauthUrl.handler,
    });
    const { user } = renderApp(INTEGRATIONS);
    const button = (await within(await metaCard()).findByRole('button', {
      name: 'Connect with Facebook',
    })) as HTMLButtonElement;

    await user.click(button);
    expect(button.disabled).toBe(true);
    expect(button.getAttribute('aria-busy')).toBe('true');
    expect(assign).not.toHaveBeenCalled();

    oauthUrl.resolve(json(200, { url: dialog }));
    await waitFor(() => expect(assign).toHaveBeenCalledWith(dialog));
    // Still busy: the browser is on its way to Facebook.
    expect(button.getAttribute('aria-busy')).toBe('true');
  });

  test('a failed start shows why and lets the person try again', async () => {
    const assign = stubLocationAssign();
    stubApi({
      ...signedInAs('owner'),
      'GET /api/integrations/meta': () => json(200, { connected: false }),
      'GET /api/integrations/meta/oauth-url': () =>
        apiError(503, 'meta_unavailable', 'Meta is not configured.'),
    });
    const { user } = renderApp(INTEGRATIONS);
    const card = await metaCard();

    await user.click(within(card).getByRole('button', { name: 'Connect with Facebook' }));

    expect((await within(card).findByRole('alert')).textContent).toBe('Meta is not configured.');
    expect(
      (within(card).getByRole('button', { name: 'Connect with Facebook' }) as HTMLButtonElement).disabled,
    ).toBe(false);
    expect(assign).not.toHaveBeenCalled();
  });

  test('refuses to navigate to a URL that is not http(s)', async () => {
    const assign = stubLocationAssign();
    stubApi({
      ...signedInAs('owner'),
      'GET /api/integrations/meta': () => json(200, { connected: false }),
      'GET /api/integrations/meta/oauth-url': () => json(200, { url: 'javascript:alert(1)' }),
    });
    const { user } = renderApp(INTEGRATIONS);

    await user.click(within(await metaCard()).getByRole('button', { name: 'Connect with Facebook' }));

    expect(await screen.findByText('Parley could not start the Facebook login. Try again.')).toBeTruthy();
    expect(assign).not.toHaveBeenCalled();
  });

  test('an agent sees the status but no Connect button', async () => {
    stubApi({ ...signedInAs('agent'), 'GET /api/integrations/meta': () => json(200, { connected: false }) });
    renderApp(INTEGRATIONS);
    const card = await metaCard();

    expect(within(card).getByText(/Not connected/)).toBeTruthy();
    expect(within(card).getByText('Ask an owner or admin of your organization to connect it.')).toBeTruthy();
    expect(within(card).queryByRole('button')).toBeNull();
  });
});

describe('Meta card, connected', () => {
  test('shows the Page, its Instagram account, status, webhooks and who connected it when', async () => {
    stubApi({
      ...signedInAs('owner'),
      'GET /api/integrations/meta': () =>
        json(200, {
          connected: true,
          connection: connection({
            webhooks: { page: 'subscribed', app_page: 'subscribed', app_instagram: 'pending' },
            connected_by: { user_id: 'u2', email: 'grace@example.com' },
          }),
        }),
    });
    renderApp(INTEGRATIONS);
    const card = await metaCard();

    expect(within(card).getByRole('heading', { name: 'Acme Shoes' })).toBeTruthy();
    expect(within(card).getByText('@acmeshoes')).toBeTruthy();
    expect(within(card).getByText('Active')).toBeTruthy();
    const webhooks = within(card)
      .getAllByRole('listitem')
      .map((item) => item.textContent);
    expect(webhooks).toEqual([
      'Page subscription Subscribed',
      'App subscription (Messenger) Subscribed',
      'App subscription (Instagram) Pending',
    ]);
    expect(card.textContent).toContain('Connected by grace@example.com on Mar 5, 2026');
    expect(within(card).getByRole('button', { name: 'Disconnect' })).toBeTruthy();
    expect(within(card).queryByRole('button', { name: 'Retry subscriptions' })).toBeNull();
    expect(within(card).queryByRole('button', { name: 'Reconnect' })).toBeNull();
  });

  test('says "No Instagram account" when the Page has none linked', async () => {
    stubApi({
      ...signedInAs('owner'),
      'GET /api/integrations/meta': () =>
        json(200, {
          connected: true,
          connection: connection({ instagram_username: null, instagram_business_account_id: null }),
        }),
    });
    renderApp(INTEGRATIONS);
    const card = await metaCard();

    expect(within(card).getByText('No Instagram account')).toBeTruthy();
    expect(within(card).queryByText(/^@/)).toBeNull();
  });

  test('reauth_required shows the reason and a Reconnect button that restarts the login', async () => {
    const assign = stubLocationAssign();
    stubApi({
      ...signedInAs('admin'),
      'GET /api/integrations/meta': () =>
        json(200, {
          connected: true,
          connection: connection({ status: 'reauth_required', status_reason: 'The Page token was revoked.' }),
        }),
      'GET /api/integrations/meta/oauth-url': () => json(200, { url: 'https://www.facebook.com/dialog' }),
    });
    const { user } = renderApp(INTEGRATIONS);
    const card = await metaCard();

    expect(within(card).getByText('Reconnect required')).toBeTruthy();
    expect(within(card).getByText('The Page token was revoked.')).toBeTruthy();
    await user.click(within(card).getByRole('button', { name: 'Reconnect' }));
    await waitFor(() => expect(assign).toHaveBeenCalledWith('https://www.facebook.com/dialog'));
  });

  test('Retry subscriptions appears on a failed webhook and shows the refreshed connection', async () => {
    const retried = deferredResponse();
    const api = stubApi({
      ...signedInAs('owner'),
      'GET /api/integrations/meta': () =>
        json(200, {
          connected: true,
          connection: connection({
            status: 'needs_attention',
            webhooks: { page: 'subscribed', app_page: 'failed', app_instagram: 'subscribed' },
          }),
        }),
      'POST /api/integrations/meta/retry-subscriptions': retried.handler,
    });
    const { user } = renderApp(INTEGRATIONS);
    const card = await metaCard();
    expect(within(card).getByText('Needs attention')).toBeTruthy();
    expect(
      within(card).getByText('A webhook subscription failed. Parley retries it automatically.'),
    ).toBeTruthy();

    const retry = within(card).getByRole('button', { name: 'Retry subscriptions' });
    await user.click(retry);
    expect(retry.getAttribute('aria-busy')).toBe('true');
    retried.resolve(json(200, { connection: connection() }));

    expect(await within(card).findByText('Active')).toBeTruthy();
    expect(within(card).queryByRole('button', { name: 'Retry subscriptions' })).toBeNull();
    expect(api.find('POST /api/integrations/meta/retry-subscriptions')[0]?.headers.get('Content-Type')).toBe(
      'application/json',
    );
  });

  test('the "couldn’t subscribe yet" warning from the connect goes once a retry subscribes', async () => {
    stubApi({
      ...signedInAs('owner'),
      'GET /api/integrations/meta': () =>
        json(200, {
          connected: true,
          connection: connection({
            status: 'needs_attention',
            webhooks: { page: 'failed', app_page: 'subscribed', app_instagram: 'subscribed' },
          }),
        }),
      'POST /api/integrations/meta/retry-subscriptions': () => json(200, { connection: connection() }),
    });
    const { user } = renderApp(`${INTEGRATIONS}?meta_error=webhook_subscription_failed`);
    const card = await metaCard();
    expect((await screen.findByTestId('meta-error')).textContent).toContain('couldn’t subscribe');

    await user.click(within(card).getByRole('button', { name: 'Retry subscriptions' }));
    expect(await within(card).findByText('Active')).toBeTruthy();
    expect(screen.queryByTestId('meta-error')).toBeNull();
  });

  test('needs_attention alone (every webhook reads subscribed) still offers Retry subscriptions', async () => {
    stubApi({
      ...signedInAs('admin'),
      'GET /api/integrations/meta': () =>
        json(200, {
          connected: true,
          connection: connection({
            status: 'needs_attention',
            status_reason: 'Instagram subscription rejected.',
          }),
        }),
    });
    renderApp(INTEGRATIONS);
    const card = await metaCard();

    expect(within(card).getByText('Instagram subscription rejected.')).toBeTruthy();
    expect(within(card).getByRole('button', { name: 'Retry subscriptions' })).toBeTruthy();
  });

  test('Disconnect asks first; Escape cancels and Disconnect again disconnects', async () => {
    const api = stubApi({
      ...signedInAs('owner'),
      'GET /api/integrations/meta': () => json(200, { connected: true, connection: connection() }),
      'POST /api/integrations/meta/disconnect': () => json(200, { disconnected: true }),
    });
    const { user } = renderApp(INTEGRATIONS);
    const card = await metaCard();

    await user.click(within(card).getByRole('button', { name: 'Disconnect' }));
    const dialog = within(card).getByRole('alertdialog', { name: 'Disconnect Acme Shoes?' });
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    await user.keyboard('{Escape}');
    expect(within(card).queryByRole('alertdialog')).toBeNull();
    expect(document.activeElement).toBe(within(card).getByRole('button', { name: 'Disconnect' }));
    expect(api.find('POST /api/integrations/meta/disconnect')).toHaveLength(0);

    await user.click(within(card).getByRole('button', { name: 'Disconnect' }));
    await user.click(within(card).getByRole('button', { name: 'Disconnect' }));

    expect(await within(card).findByRole('button', { name: 'Connect with Facebook' })).toBeTruthy();
    expect(within(card).getByRole('status').textContent).toContain('Acme Shoes was disconnected.');
    expect(api.find('POST /api/integrations/meta/disconnect')).toHaveLength(1);
  });

  test('an agent sees the connection read-only', async () => {
    stubApi({
      ...signedInAs('agent'),
      'GET /api/integrations/meta': () =>
        json(200, { connected: true, connection: connection({ status: 'needs_attention' }) }),
    });
    renderApp(`${INTEGRATIONS}?meta_select_page=true`);
    const card = await metaCard();

    expect(within(card).getByRole('heading', { name: 'Acme Shoes' })).toBeTruthy();
    expect(within(card).getByText('Only owners and admins can change this connection.')).toBeTruthy();
    expect(within(card).queryByRole('button')).toBeNull();
    // The picker is for the admin who ran the flow: pending-pages has no stub here, so an agent's browser
    // asking for it would fail this test (see assertNoUnstubbedRequests).
  });
});

describe('meta_error banner', () => {
  // Typed by MetaErrorCode: a code added to the contract makes this table (and the typecheck) incomplete.
  const expected: Record<MetaErrorCode, [title: RegExp, nextStep: RegExp]> = {
    no_pages: [/didn’t share any Pages/, /select your Page/],
    access_denied: [/connection was cancelled/, /approve the requested permissions/],
    invalid_state: [/expired or couldn’t be verified/, /within 10 minutes/],
    token_exchange_failed: [/didn’t confirm the login/, /try again/],
    pages_fetch_failed: [/couldn’t load your Facebook Pages/, /try again/],
    page_already_connected: [/already connected to another Parley organization/, /connect a different Page/],
    webhook_subscription_failed: [/couldn’t subscribe to its messages/, /Retry subscriptions/],
  };

  test.each(Object.entries(expected))(
    '%s shows its message and next step',
    async (code, [title, nextStep]) => {
      stubApi({
        ...signedInAs('owner'),
        'GET /api/integrations/meta': () => json(200, { connected: false }),
      });
      renderApp(`${INTEGRATIONS}?meta_error=${code}`);

      const banner = await screen.findByTestId('meta-error');
      // Cancel on Facebook's dialog is a choice, not a failure: a neutral notice.
      expect(banner.getAttribute('role')).toBe(code === 'access_denied' ? 'status' : 'alert');
      expect(within(banner).getByText(title)).toBeTruthy();
      expect(within(banner).getByText(nextStep)).toBeTruthy();
    },
  );

  test.each(['rate_limited', 'constructor'])(
    'an unknown code (%s) gets the generic message',
    async (code) => {
      stubApi({
        ...signedInAs('owner'),
        'GET /api/integrations/meta': () => json(200, { connected: false }),
      });
      renderApp(`${INTEGRATIONS}?meta_error=${code}`);

      const banner = await screen.findByTestId('meta-error');
      expect(banner.textContent).toContain('Something went wrong while connecting to Facebook.');
    },
  );

  test('dismissing removes meta_error from the URL and keeps the rest', async () => {
    stubApi({ ...signedInAs('owner'), 'GET /api/integrations/meta': () => json(200, { connected: false }) });
    const { user } = renderApp(`${INTEGRATIONS}?meta_error=access_denied&ref=mail`);
    const historyLength = window.history.length;

    await user.click(
      within(await screen.findByTestId('meta-error')).getByRole('button', { name: 'Dismiss' }),
    );

    expect(screen.queryByTestId('meta-error')).toBeNull();
    expect(window.location.pathname + window.location.search).toBe(`${INTEGRATIONS}?ref=mail`);
    expect(window.history.length).toBe(historyLength); // replaced, not pushed
    expect(screen.getByRole('button', { name: 'Connect with Facebook' })).toBeTruthy();
  });
});

describe('Meta card, health', () => {
  const inDays = (days: number) => new Date(Date.now() + days * 24 * 3_600_000).toISOString();

  test('shows when Meta last sent a webhook and when Parley last checked, exact times in the title', async () => {
    const lastWebhook = minutesAgo(5);
    stubApi({
      ...signedInAs('owner'),
      'GET /api/integrations/meta': () =>
        json(200, {
          connected: true,
          connection: connection({ last_webhook_at: lastWebhook, last_health_check_at: minutesAgo(125) }),
        }),
    });
    renderApp(INTEGRATIONS);
    const card = await metaCard();

    expect(within(card).getByText(/^Last message from Meta:/).textContent).toBe(
      'Last message from Meta: 5 min ago',
    );
    expect(within(card).getByText(/^Last checked:/).textContent).toBe('Last checked: 2 h ago');
    const time = within(card).getByText('5 min ago');
    expect(time.getAttribute('dateTime')).toBe(lastWebhook);
    expect(time.getAttribute('title')).toBe(formatDateTime(lastWebhook));
    expect(within(card).queryByTestId('meta-data-access')).toBeNull();
  });

  test('says so when no webhook has arrived and no check has run yet', async () => {
    stubApi({
      ...signedInAs('owner'),
      'GET /api/integrations/meta': () => json(200, { connected: true, connection: connection() }),
    });
    renderApp(INTEGRATIONS);
    const card = await metaCard();

    expect(within(card).getByText('No webhook received yet')).toBeTruthy();
    expect(within(card).getByText(/^Last checked:/).textContent).toBe('Last checked: not yet');
  });

  test('warns when Meta’s data access ends within 14 days, and offers Reconnect', async () => {
    const endsAt = inDays(10);
    stubApi({
      ...signedInAs('admin'),
      'GET /api/integrations/meta': () =>
        json(200, {
          connected: true,
          connection: connection({
            data_access_expires_at: endsAt,
            connected_by: { user_id: 'u2', email: 'grace@example.com' },
          }),
        }),
    });
    renderApp(INTEGRATIONS);
    const card = await metaCard();

    expect(within(card).getByTestId('meta-data-access').textContent).toBe(
      `Meta's data access for grace@example.com ends on ${formatDate(endsAt)} — reconnect before then.`,
    );
    expect(within(card).getByRole('button', { name: 'Reconnect' })).toBeTruthy();
  });

  test('no data-access warning while the end is further than 14 days away', async () => {
    stubApi({
      ...signedInAs('admin'),
      'GET /api/integrations/meta': () =>
        json(200, { connected: true, connection: connection({ data_access_expires_at: inDays(15) }) }),
    });
    renderApp(INTEGRATIONS);
    const card = await metaCard();

    expect(within(card).queryByTestId('meta-data-access')).toBeNull();
    expect(within(card).queryByRole('button', { name: 'Reconnect' })).toBeNull();
  });

  test('Check now is busy while the server checks, then shows what it found', async () => {
    const checked = deferredResponse();
    const api = stubApi({
      ...signedInAs('owner'),
      'GET /api/integrations/meta': () => json(200, { connected: true, connection: connection() }),
      'POST /api/integrations/meta/health-check': checked.handler,
    });
    const { user } = renderApp(INTEGRATIONS);
    const card = await metaCard();
    await screen.findByRole('heading', { name: 'Activity' });
    const activityReads = api.find('GET /api/integrations/meta/activity').length;

    const check = within(card).getByRole('button', { name: 'Check now' });
    await user.click(check);
    expect(check.getAttribute('aria-busy')).toBe('true');
    checked.resolve(
      json(200, {
        connection: connection({
          status: 'reauth_required',
          status_reason: 'Meta says the Page access token is no longer valid.',
          last_health_check_at: new Date().toISOString(),
        }),
      }),
    );

    expect(await within(card).findByText('Reconnect required')).toBeTruthy();
    expect(within(card).getByText(/^Last checked:/).textContent).toBe('Last checked: just now');
    expect(within(card).getByText('Check finished: Reconnect required.').getAttribute('role')).toBe('status');
    expect(check.getAttribute('aria-busy')).toBeNull();
    const [request] = api.find('POST /api/integrations/meta/health-check');
    expect(request?.body).toEqual({});
    expect(request?.headers.get('Content-Type')).toBe('application/json');
    await waitFor(() =>
      expect(api.find('GET /api/integrations/meta/activity')).toHaveLength(activityReads + 1),
    );
  });

  test('a failed Check now says why next to the button', async () => {
    stubApi({
      ...signedInAs('owner'),
      'GET /api/integrations/meta': () => json(200, { connected: true, connection: connection() }),
      'POST /api/integrations/meta/health-check': () =>
        apiError(503, 'meta_unavailable', 'Meta could not be reached.'),
    });
    const { user } = renderApp(INTEGRATIONS);
    const card = await metaCard();

    await user.click(within(card).getByRole('button', { name: 'Check now' }));

    expect((await within(card).findByRole('alert')).textContent).toBe('Meta could not be reached.');
    expect(within(card).getByText('Active')).toBeTruthy();
  });

  test('Refresh Instagram link posts, then shows the newly linked account', async () => {
    const refreshed = deferredResponse();
    const api = stubApi({
      ...signedInAs('admin'),
      'GET /api/integrations/meta': () =>
        json(200, {
          connected: true,
          connection: connection({ instagram_username: null, instagram_business_account_id: null }),
        }),
      'POST /api/integrations/meta/refresh-instagram': refreshed.handler,
    });
    const { user } = renderApp(INTEGRATIONS);
    const card = await metaCard();
    expect(within(card).getByText('No Instagram account')).toBeTruthy();
    await screen.findByRole('heading', { name: 'Activity' });
    const activityReads = api.find('GET /api/integrations/meta/activity').length;

    const refresh = within(card).getByRole('button', { name: 'Refresh Instagram link' });
    await user.click(refresh);
    expect(refresh.getAttribute('aria-busy')).toBe('true');
    refreshed.resolve(
      json(200, {
        connection: connection({
          instagram_username: 'acme.moved',
          instagram_business_account_id: '17841400000000002',
        }),
      }),
    );

    expect(await within(card).findByText('@acme.moved')).toBeTruthy();
    expect(within(card).getByRole('status').textContent).toBe('Instagram link refreshed: @acme.moved.');
    expect(api.find('POST /api/integrations/meta/refresh-instagram')[0]?.body).toEqual({});
    await waitFor(() =>
      expect(api.find('GET /api/integrations/meta/activity')).toHaveLength(activityReads + 1),
    );
  });

  test('reauth_required explains prominently why and what to do', async () => {
    stubApi({
      ...signedInAs('owner'),
      'GET /api/integrations/meta': () =>
        json(200, {
          connected: true,
          connection: connection({
            status: 'reauth_required',
            status_reason: 'The Facebook user who connected this Page removed Parley from their account.',
          }),
        }),
    });
    renderApp(INTEGRATIONS);
    const card = await metaCard();

    const explanation = within(card).getByTestId('meta-status-reason');
    expect(explanation.textContent).toContain("Parley can't receive or send messages for this Page.");
    expect(explanation.textContent).toContain('removed Parley from their account');
    expect(explanation.textContent).toContain('Choose Reconnect');
    // Reconnect re-reads the Instagram link anyway; refreshing it with a rejected token can't work.
    expect(within(card).queryByRole('button', { name: 'Refresh Instagram link' })).toBeNull();
    expect(within(card).getByRole('button', { name: 'Check now' })).toBeTruthy();
  });

  test('needs_attention explains the reason and offers Reconnect beside Retry subscriptions', async () => {
    stubApi({
      ...signedInAs('admin'),
      'GET /api/integrations/meta': () =>
        json(200, {
          connected: true,
          connection: connection({
            status: 'needs_attention',
            status_reason: 'Meta no longer grants pages_messaging; reconnect with Facebook.',
          }),
        }),
    });
    renderApp(INTEGRATIONS);
    const card = await metaCard();

    const explanation = within(card).getByTestId('meta-status-reason');
    expect(explanation.textContent).toBe(
      'This connection needs attention.Meta no longer grants pages_messaging; reconnect with Facebook.',
    );
    expect(within(card).getByRole('button', { name: 'Retry subscriptions' })).toBeTruthy();
    expect(within(card).getByRole('button', { name: 'Reconnect' })).toBeTruthy();
  });
});
