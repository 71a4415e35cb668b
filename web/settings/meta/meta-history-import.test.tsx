import { screen } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import { json, stubApi } from '../../test-support/fetch-stub.ts';
import { connection, session } from '../../test-support/fixtures.ts';
import { renderApp, resetTestEnvironment } from '../../test-support/render-app.tsx';

afterEach(resetTestEnvironment);

describe('history import on the Meta card', () => {
  test('shows progress while running and what was imported once done', async () => {
    let calls = 0;
    stubApi({
      'GET /api/auth/me': () => json(200, session('owner')),
      'GET /api/integrations/meta': () => json(200, { connected: true, connection: connection() }),
      'GET /api/integrations/meta/activity': () => json(200, { events: [] }),
      'GET /api/integrations/meta/history': () => {
        calls += 1;
        return json(200, {
          imports: [
            {
              platform: 'messenger',
              state: calls === 1 ? 'running' : 'done',
              conversations_done: calls === 1 ? 25 : 120,
              messages_imported: calls === 1 ? 100 : 480,
              days: 30,
              started_at: new Date().toISOString(),
              finished_at: null,
              error: null,
            },
          ],
        });
      },
    });
    renderApp('/settings/tab/integrations');
    expect(
      await screen.findByText('Messenger: importing the last 30 days… 25 conversations, 100 messages so far'),
    ).toBeTruthy();
    expect(
      await screen.findByText(
        'Messenger: imported 120 conversations (480 messages) from the last 30 days',
        {},
        { timeout: 4000 },
      ),
    ).toBeTruthy();
  });

  test('says it is retrying while Meta fails, and why it stopped', async () => {
    stubApi({
      'GET /api/auth/me': () => json(200, session('owner')),
      'GET /api/integrations/meta': () => json(200, { connected: true, connection: connection() }),
      'GET /api/integrations/meta/activity': () => json(200, { events: [] }),
      'GET /api/integrations/meta/history': () =>
        json(200, {
          imports: [
            {
              platform: 'messenger',
              state: 'running',
              conversations_done: 0,
              messages_imported: 0,
              days: 30,
              started_at: new Date().toISOString(),
              finished_at: null,
              error: 'Meta could not be reached or had a temporary problem (Meta error 2); retrying.',
            },
            {
              platform: 'instagram',
              state: 'failed',
              conversations_done: 0,
              messages_imported: 0,
              days: 30,
              started_at: new Date().toISOString(),
              finished_at: new Date().toISOString(),
              error:
                'Meta refused for lack of a permission (Meta error 10); reconnect and grant every requested permission.',
            },
          ],
        }),
    });
    renderApp('/settings/tab/integrations');
    expect(
      await screen.findByText(
        'Messenger: importing the last 30 days… 0 conversations, 0 messages so far. Meta could not be reached or had a temporary problem (Meta error 2); retrying.',
      ),
    ).toBeTruthy();
    expect(
      screen.getByText(
        'Instagram: import stopped: Meta refused for lack of a permission (Meta error 10); reconnect and grant every requested permission.',
      ),
    ).toBeTruthy();
  });
});
