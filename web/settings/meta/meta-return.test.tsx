// Coming back from Facebook (issue 12, rough edges): the address bar is cleaned, Cancel is a neutral
// notice, a one-Page connect gets the picker's success notice with a next step, and a Page choice left
// unfinished is offered again.
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import { apiError, json, type Routes, stubApi } from '../../test-support/fetch-stub.ts';
import {
  activityRoute,
  connection,
  pendingPage,
  pendingPages,
  session,
} from '../../test-support/fixtures.ts';
import { renderApp, resetTestEnvironment } from '../../test-support/render-app.tsx';
import { rememberConnectStarted } from './meta-connect-return.ts';

afterEach(resetTestEnvironment);

const INTEGRATIONS = '/settings/tab/integrations';
const owner: Routes = { 'GET /api/auth/me': () => json(200, session('owner')), ...activityRoute() };

describe('back from Facebook', () => {
  test('Cancel: a neutral notice; meta_error and #_=_ leave the address bar at once', async () => {
    stubApi({ ...owner, 'GET /api/integrations/meta': () => json(200, { connected: false }) });
    renderApp(`${INTEGRATIONS}?meta_error=access_denied&ref=mail#_=_`);
    const banner = await screen.findByTestId('meta-error');
    expect(banner.getAttribute('role')).toBe('status');
    expect(banner.className).toContain('alert--info');
    await waitFor(() =>
      expect(window.location.pathname + window.location.search + window.location.hash).toBe(
        `${INTEGRATIONS}?ref=mail`,
      ),
    );
    expect(screen.getByTestId('meta-error').textContent).toContain('connection was cancelled');
  });

  test('a one-Page connect shows the success notice with "Open the inbox"', async () => {
    rememberConnectStarted();
    stubApi({
      ...owner,
      'GET /api/integrations/meta': () => json(200, { connected: true, connection: connection() }),
      'GET /api/integrations/meta/pending-pages': () => apiError(404, 'no_pending_pages'),
    });
    renderApp(`${INTEGRATIONS}#_=_`);
    const notice = await screen.findByText(/is connected\./);
    expect(notice.textContent).toContain(`${connection().facebook_page_name} is connected.`);
    expect(within(notice).getByRole('link', { name: 'Open the inbox' }).getAttribute('href')).toBe('/inbox');
    expect(window.location.hash).toBe('');
  });

  test('a Page choice still pending is offered again, and Continue opens the picker', async () => {
    rememberConnectStarted();
    const api = stubApi({
      ...owner,
      'GET /api/integrations/meta': () => json(200, { connected: false }),
      'GET /api/integrations/meta/pending-pages': () =>
        json(
          200,
          pendingPages([
            pendingPage({ id: '111', name: 'Corner Bakery' }),
            pendingPage({ id: '222', name: 'Deli' }),
          ]),
        ),
    });
    const { user } = renderApp(INTEGRATIONS);
    await screen.findByText('You were choosing a Facebook Page.');
    await user.click(screen.getByRole('button', { name: 'Continue choosing' }));
    expect(await screen.findByText('Corner Bakery')).toBeTruthy();
    expect(window.location.search).toBe('?meta_select_page=true');
    expect(api.find('GET /api/integrations/meta/pending-pages').length).toBeGreaterThanOrEqual(2);
  });

  test('without a connect started in this browser, nothing is probed', async () => {
    const api = stubApi({ ...owner, 'GET /api/integrations/meta': () => json(200, { connected: false }) });
    renderApp(INTEGRATIONS);
    await screen.findByRole('button', { name: 'Connect with Facebook' });
    expect(api.find('GET /api/integrations/meta/pending-pages')).toHaveLength(0);
  });
});
