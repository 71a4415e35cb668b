import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import { apiError, json, stubApi } from './test-support/fetch-stub.ts';
import {
  activityRoute,
  connection,
  emptyInbox,
  pendingPage,
  pendingPages,
  session,
} from './test-support/fixtures.ts';
import { renderApp, resetTestEnvironment } from './test-support/render-app.tsx';

afterEach(resetTestEnvironment);

const signedOut = { 'GET /api/auth/me': () => apiError(401, 'unauthenticated', 'Log in first.') };
const signedIn = { 'GET /api/auth/me': () => json(200, session('admin')), ...emptyInbox };

describe('sign-in gate', () => {
  test('sends a signed-out visitor to /login and, after logging in, back where they were going', async () => {
    const api = stubApi({
      ...signedOut,
      'POST /api/auth/login': () => json(200, session('admin')),
      'GET /api/integrations/meta': () => json(200, { connected: false }),
      'GET /api/integrations/meta/pending-pages': () => json(200, pendingPages([pendingPage()])),
      ...activityRoute(),
    });
    const { user } = renderApp('/settings/tab/integrations?meta_select_page=true');

    await screen.findByRole('heading', { name: 'Log in to Parley' });
    expect(window.location.pathname).toBe('/login');
    expect(new URLSearchParams(window.location.search).get('next')).toBe(
      '/settings/tab/integrations?meta_select_page=true',
    );

    await user.type(screen.getByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'secret');
    await user.click(screen.getByRole('button', { name: 'Log in' }));

    expect(await screen.findByRole('radio', { name: 'Acme Shoes' })).toBeTruthy();
    expect(window.location.pathname + window.location.search).toBe(
      '/settings/tab/integrations?meta_select_page=true',
    );
    expect(api.find('POST /api/auth/login')[0]?.body).toEqual({
      email: 'ada@example.com',
      password: 'secret',
    });
  });

  test('never follows a `next` that points at another site', async () => {
    stubApi({ ...signedOut, ...emptyInbox, 'POST /api/auth/login': () => json(200, session()) });
    const { user } = renderApp(`/login?next=${encodeURIComponent('//evil.example/steal')}`);

    await user.type(await screen.findByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'secret');
    await user.click(screen.getByRole('button', { name: 'Log in' }));

    await screen.findByRole('heading', { name: 'Inbox' });
    expect(window.location.href).toBe('http://localhost:3000/inbox');
  });

  test('shows wrong credentials inline', async () => {
    stubApi({
      ...signedOut,
      'POST /api/auth/login': () => apiError(401, 'invalid_credentials', 'Invalid credentials'),
    });
    const { user } = renderApp('/login');

    await user.type(await screen.findByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Log in' }));

    expect((await screen.findByRole('alert')).textContent).toBe(
      'That email and password don’t match an account.',
    );
    expect(window.location.pathname).toBe('/login');
  });

  test('shows an unreachable server with a retry instead of the login page', async () => {
    let calls = 0;
    stubApi({
      ...emptyInbox,
      'GET /api/auth/me': () => (++calls === 1 ? json(502) : json(200, session())),
    });
    const { user } = renderApp('/inbox');

    expect((await screen.findByRole('alert')).textContent).toContain('Parley ran into a problem');
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { name: 'Inbox' })).toBeTruthy();
  });
});

describe('app frame', () => {
  test('/ opens the inbox, and the header shows organization, email and role', async () => {
    stubApi(signedIn);
    renderApp('/');

    await screen.findByRole('heading', { name: 'Inbox' });
    expect(window.location.pathname).toBe('/inbox');
    const header = screen.getByRole('banner');
    expect(within(header).getByText('Acme Support')).toBeTruthy();
    expect(within(header).getByText('ada@example.com')).toBeTruthy();
    expect(within(header).getByText('Admin')).toBeTruthy();
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Inbox' }).getAttribute('aria-current')).toBe('page');
    expect(within(nav).getByRole('link', { name: 'Settings' }).getAttribute('aria-current')).toBeNull();
  });

  test('navigates to Settings, whose tabs are links to their own URLs', async () => {
    stubApi({
      ...signedIn,
      'GET /api/organization/members': () => json(200, { members: [] }),
      'GET /api/organization/invitations': () => json(200, { invitations: [] }),
      'GET /api/integrations/meta': () => json(200, { connected: true, connection: connection() }),
      ...activityRoute(),
    });
    const { user } = renderApp('/inbox');

    await user.click(await screen.findByRole('link', { name: 'Settings' }));
    expect(await screen.findByRole('heading', { name: 'Members' })).toBeTruthy();
    expect(window.location.pathname).toBe('/settings/tab/members');

    await user.click(screen.getByRole('link', { name: 'Integrations' }));
    expect(await screen.findByRole('heading', { name: 'Acme Shoes' })).toBeTruthy();
    expect(window.location.pathname).toBe('/settings/tab/integrations');
  });

  test('an unknown path shows Not found inside the frame', async () => {
    stubApi(signedIn);
    renderApp('/no/such/page');

    expect(await screen.findByRole('heading', { name: 'Not found' })).toBeTruthy();
    expect(screen.getByRole('navigation', { name: 'Main' })).toBeTruthy();
  });

  test('an unknown settings tab is Not found too', async () => {
    stubApi(signedIn);
    renderApp('/settings/tab/billing');

    expect(await screen.findByRole('heading', { name: 'Not found' })).toBeTruthy();
  });

  test('Log out ends the session on the server and returns to a plain /login', async () => {
    const api = stubApi({ ...signedIn, 'POST /api/auth/logout': () => json(204) });
    const { user } = renderApp('/inbox');

    await user.click(await screen.findByRole('button', { name: 'Log out' }));

    await screen.findByRole('heading', { name: 'Log in to Parley' });
    expect(window.location.pathname + window.location.search).toBe('/login');
    const [request] = api.find('POST /api/auth/logout');
    expect(request?.headers.get('Content-Type')).toBe('application/json');
  });

  test('a 401 from any later call ends the session and keeps the page to come back to', async () => {
    stubApi({
      ...signedIn,
      'GET /api/organization/members': () => apiError(401, 'unauthenticated', 'Session expired'),
      'GET /api/organization/invitations': () => apiError(401, 'unauthenticated', 'Session expired'),
    });
    renderApp('/settings/tab/members');

    await screen.findByRole('heading', { name: 'Log in to Parley' });
    await waitFor(() =>
      expect(new URLSearchParams(window.location.search).get('next')).toBe('/settings/tab/members'),
    );
  });
});
