import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import type { ConnectionStatusResponse, Role } from '../api/contract.ts';
import { stubEventSource } from '../test-support/event-source-stub.ts';
import { json, type Routes, stubApi } from '../test-support/fetch-stub.ts';
import { activityRoute, connection, emptyInbox, session } from '../test-support/fixtures.ts';
import { renderApp, resetTestEnvironment } from '../test-support/render-app.tsx';

afterEach(resetTestEnvironment);

const BANNER = { name: 'Meta connection problem' } as const;

const needsAttention: ConnectionStatusResponse = {
  connected: true,
  connection: connection({
    status: 'needs_attention',
    status_reason: 'Meta no longer grants pages_messaging; reconnect with Facebook.',
  }),
};
const reauthRequired: ConnectionStatusResponse = {
  connected: true,
  connection: connection({
    status: 'reauth_required',
    status_reason: 'Meta says the Page access token is no longer valid.',
  }),
};
const active: ConnectionStatusResponse = { connected: true, connection: connection() };

function routes(role: Role, meta: () => ConnectionStatusResponse, extra: Routes = {}): Routes {
  return {
    ...emptyInbox,
    'GET /api/auth/me': () => json(200, session(role)),
    'GET /api/integrations/meta': () => json(200, meta()),
    ...extra,
  };
}

async function inboxShown() {
  await screen.findByRole('heading', { name: 'Inbox' });
}

describe('Meta health banner', () => {
  test('an admin on the Inbox sees what needs attention, with a link to fix it', async () => {
    stubApi(routes('admin', () => needsAttention, activityRoute()));
    const { user } = renderApp('/inbox');

    const banner = await screen.findByRole('region', BANNER);
    expect(within(banner).getByRole('alert').textContent).toBe(
      'The connection to Acme Shoes needs attention. Meta no longer grants pages_messaging; reconnect with Facebook.',
    );
    // Under the header, before the page.
    expect(screen.getByRole('banner').nextElementSibling).toBe(banner);

    await user.click(within(banner).getByRole('link', { name: 'Fix it' }));
    expect(window.location.pathname).toBe('/settings/tab/integrations');
    expect(await screen.findByTestId('meta-status-reason')).toBeTruthy();
    // The card is right there: no link to the page you are on.
    expect(within(screen.getByRole('region', BANNER)).queryByRole('link')).toBeNull();
  });

  test('an owner sees reauth_required on every page, Settings → Members too', async () => {
    stubApi(
      routes('owner', () => reauthRequired, {
        'GET /api/organization/members': () => json(200, { members: [] }),
        'GET /api/organization/invitations': () => json(200, { invitations: [] }),
      }),
    );
    const { user } = renderApp('/inbox');

    const banner = await screen.findByRole('region', BANNER);
    expect(within(banner).getByRole('alert').textContent).toBe(
      "Meta no longer accepts Parley's access to Acme Shoes: messages aren't arriving and replies can't be sent. Meta says the Page access token is no longer valid.",
    );
    expect(banner.className).toContain('health-banner--reauth_required');

    await user.click(screen.getByRole('link', { name: 'Settings' }));
    expect(await screen.findByRole('heading', { name: 'Members' })).toBeTruthy();
    expect(screen.getByRole('region', BANNER)).toBe(banner);
    expect(within(banner).getByRole('link', { name: 'Fix it' }).getAttribute('href')).toBe(
      '/settings/tab/integrations',
    );
  });

  test('agents never see it, and their pages don’t poll for it', async () => {
    const api = stubApi(routes('agent', () => reauthRequired));
    renderApp('/inbox');
    await inboxShown();

    expect(screen.queryByRole('region', BANNER)).toBeNull();
    expect(api.find('GET /api/integrations/meta')).toHaveLength(0);
  });

  test('nothing shows while the connection is active, or when there is none', async () => {
    const api = stubApi(routes('admin', () => active));
    renderApp('/inbox');
    await inboxShown();
    await waitFor(() => expect(api.find('GET /api/integrations/meta')).toHaveLength(1));

    expect(screen.queryByRole('region', BANNER)).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  test('reads the status again when the window regains focus', async () => {
    let status = active;
    const api = stubApi(routes('admin', () => status));
    renderApp('/inbox');
    await inboxShown();
    await waitFor(() => expect(api.find('GET /api/integrations/meta')).toHaveLength(1));

    status = reauthRequired;
    act(() => {
      window.dispatchEvent(new Event('focus'));
    });

    expect(await screen.findByRole('region', BANNER)).toBeTruthy();
    expect(api.find('GET /api/integrations/meta')).toHaveLength(2);
  });

  test('a connection.updated live event raises and clears it, over the inbox’s one stream', async () => {
    const stream = stubEventSource();
    let status = active;
    stubApi(routes('owner', () => status));
    renderApp('/inbox');
    await inboxShown();
    await stream.open();

    status = needsAttention;
    stream.send({ type: 'connection.updated' });
    expect(await screen.findByRole('region', BANNER)).toBeTruthy();

    status = active;
    stream.send({ type: 'connection.updated' });
    await waitFor(() => expect(screen.queryByRole('region', BANNER)).toBeNull());
    expect(stream.sources.map((source) => source.url)).toEqual(['/api/events']);
  });

  test('follows the Meta card: Check now finding the connection healthy clears it at once', async () => {
    stubApi(
      routes('admin', () => reauthRequired, {
        ...activityRoute(),
        'POST /api/integrations/meta/health-check': () => json(200, { connection: connection() }),
      }),
    );
    const { user } = renderApp('/settings/tab/integrations');
    expect(await screen.findByRole('region', BANNER)).toBeTruthy();

    const card = await screen.findByTestId('meta-card');
    await user.click(await within(card).findByRole('button', { name: 'Check now' }));

    await waitFor(() => expect(screen.queryByRole('region', BANNER)).toBeNull());
    expect(within(card).getByText('Active')).toBeTruthy();
  });
});
