import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import { stubEventSource } from '../../test-support/event-source-stub.ts';
import { apiError, json, stubApi } from '../../test-support/fetch-stub.ts';
import {
  activityEntry,
  activityRoute,
  connection,
  minutesAgo,
  session,
} from '../../test-support/fixtures.ts';
import { renderApp, resetTestEnvironment } from '../../test-support/render-app.tsx';
import { formatDateTime } from '../../ui/date-format.ts';

afterEach(resetTestEnvironment);

const INTEGRATIONS = '/settings/tab/integrations';
const connected = { connected: true, connection: connection() };

async function activitySection() {
  const heading = await screen.findByRole('heading', { name: 'Activity' });
  const section = within(screen.getByRole('region', { name: 'Activity' }));
  expect(section.getByRole('heading')).toBe(heading);
  return section;
}

describe('Settings → Integrations → Activity', () => {
  test('lists what happened, newest first: a sentence per kind, who, when and the detail', async () => {
    const tokenRejectedAt = minutesAgo(3);
    stubApi({
      'GET /api/auth/me': () => json(200, session('admin')),
      'GET /api/integrations/meta': () => json(200, connected),
      ...activityRoute([
        activityEntry({
          id: 'e6',
          kind: 'health_restored',
          actor: 'Parley',
          detail: null,
          at: minutesAgo(1),
        }),
        activityEntry({
          id: 'e5',
          kind: 'token_rejected',
          actor: 'Parley',
          detail: 'Meta says the Page access token is no longer valid.',
          at: tokenRejectedAt,
        }),
        activityEntry({ id: 'e4', kind: 'instagram_refreshed', detail: '@acmeshoes', at: minutesAgo(90) }),
        activityEntry({ id: 'e3', kind: 'subscribed', detail: null, at: minutesAgo(120) }),
        activityEntry({
          id: 'e2',
          kind: 'deauthorized',
          actor: 'Meta',
          detail: 'Acme Shoes',
          at: minutesAgo(3000),
        }),
        activityEntry({
          id: 'e1',
          kind: 'deletion_request',
          actor: 'Meta',
          detail: 'Meta data deletion request abc123: connection and token deleted',
          at: minutesAgo(3 * 24 * 60),
        }),
      ]),
    });
    renderApp(INTEGRATIONS);
    const section = await activitySection();

    const entries = (await section.findAllByRole('listitem')).map((item) => item.textContent);
    expect(entries).toEqual([
      'The connection is healthy againParley · 1 min ago',
      'Meta rejected Parley’s access to the PageParley · 3 min agoMeta says the Page access token is no longer valid.',
      'Refreshed the Instagram linkada@example.com · 1 h ago@acmeshoes',
      'Subscribed to the Page’s messagesada@example.com · 2 h ago',
      'Parley was removed from the connecting Facebook accountMeta · 2 days agoAcme Shoes',
      'Meta asked Parley to delete the connecting Facebook user’s dataMeta · 3 days agoMeta data deletion request abc123: connection and token deleted',
    ]);
    const time = section.getByText('3 min ago');
    expect(time.getAttribute('title')).toBe(formatDateTime(tokenRejectedAt));
    expect(time.getAttribute('dateTime')).toBe(tokenRejectedAt);
  });

  test.each([
    ['connected', 'Connected the Facebook Page'],
    ['reconnected', 'Reconnected with Facebook'],
    ['page_chosen', 'Chose the Facebook Page to connect'],
    ['subscription_failed', 'Couldn’t subscribe to the Page’s messages'],
    ['permission_missing', 'A permission Parley needs is no longer granted'],
    ['disconnected', 'Disconnected the Facebook Page'],
  ] as const)('%s reads “%s”', async (kind, sentence) => {
    stubApi({
      'GET /api/auth/me': () => json(200, session('owner')),
      'GET /api/integrations/meta': () => json(200, connected),
      ...activityRoute([activityEntry({ kind })]),
    });
    renderApp(INTEGRATIONS);
    const section = await activitySection();

    expect(await section.findByText(sentence)).toBeTruthy();
  });

  test('says so when nothing has happened yet, and offers a retry when the list fails', async () => {
    let calls = 0;
    stubApi({
      'GET /api/auth/me': () => json(200, session('owner')),
      'GET /api/integrations/meta': () => json(200, { connected: false }),
      'GET /api/integrations/meta/activity': () =>
        ++calls === 1 ? apiError(500, 'internal', 'Parley ran into a problem.') : json(200, { events: [] }),
    });
    const { user } = renderApp(INTEGRATIONS);
    const section = await activitySection();

    expect((await section.findByRole('alert')).textContent).toContain('The activity could not be loaded.');
    await user.click(section.getByRole('button', { name: 'Try again' }));
    expect(await section.findByText('Nothing has happened yet.')).toBeTruthy();
  });

  test('a connection.updated live event reloads the card and the activity', async () => {
    const stream = stubEventSource();
    let status = connected;
    let events = [activityEntry()];
    const api = stubApi({
      'GET /api/auth/me': () => json(200, session('owner')),
      'GET /api/integrations/meta': () => json(200, status),
      'GET /api/integrations/meta/activity': () => json(200, { events }),
    });
    renderApp(INTEGRATIONS);
    const section = await activitySection();
    await section.findByText('Connected the Facebook Page');
    await stream.open();

    status = { connected: true, connection: connection({ status: 'reauth_required' }) };
    events = [activityEntry({ id: 'e2', kind: 'token_rejected', actor: 'Parley' }), ...events];
    stream.send({ type: 'connection.updated' });

    expect(await section.findByText('Meta rejected Parley’s access to the Page')).toBeTruthy();
    expect(await within(screen.getByTestId('meta-card')).findByText('Reconnect required')).toBeTruthy();
    // One stream for the whole page: the frame's, shared by the card and the health banner.
    expect(stream.sources).toHaveLength(1);
    await waitFor(() => expect(api.find('GET /api/integrations/meta/activity')).toHaveLength(2));
  });

  test('agents see no Activity section, and the list is never asked for', async () => {
    const api = stubApi({
      'GET /api/auth/me': () => json(200, session('agent')),
      'GET /api/integrations/meta': () => json(200, connected),
    });
    renderApp(INTEGRATIONS);
    expect(
      await within(await screen.findByTestId('meta-card')).findByRole('heading', { name: 'Acme Shoes' }),
    ).toBeTruthy();

    expect(screen.queryByRole('heading', { name: 'Activity' })).toBeNull();
    expect(api.find('GET /api/integrations/meta/activity')).toHaveLength(0);
  });
});
