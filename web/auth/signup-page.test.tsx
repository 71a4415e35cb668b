import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import { apiError, json, stubApi } from '../test-support/fetch-stub.ts';
import { emptyInbox, session } from '../test-support/fixtures.ts';
import { descriptionOf, renderApp, resetTestEnvironment } from '../test-support/render-app.tsx';

afterEach(resetTestEnvironment);

const signedOut = { 'GET /api/auth/me': () => apiError(401, 'unauthenticated', 'Log in first.') };

async function openSignup() {
  const view = renderApp('/signup');
  await screen.findByRole('heading', { name: 'Create your organization' });
  return view;
}

describe('signup form', () => {
  test('explains each invalid field next to it, focuses the first, and sends nothing', async () => {
    const api = stubApi(signedOut);
    const { user } = await openSignup();

    await user.type(screen.getByLabelText('Password'), '123456789'); // 9 characters: one short
    await user.click(screen.getByRole('button', { name: 'Create organization' }));

    const email = screen.getByLabelText('Email');
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(descriptionOf(email)).toBe('Enter your email address.');
    expect(document.activeElement).toBe(email);
    expect(descriptionOf(screen.getByLabelText('Password'))).toContain('Use at least 10 characters.');
    expect(descriptionOf(screen.getByLabelText('Organization name'))).toBe('Enter your organization’s name.');
    expect(api.find('POST /api/auth/signup')).toHaveLength(0);
  });

  test('rejects an email without a domain and clears a field’s error once it is edited', async () => {
    stubApi(signedOut);
    const { user } = await openSignup();

    await user.type(screen.getByLabelText('Email'), 'ada@example');
    await user.click(screen.getByRole('button', { name: 'Create organization' }));
    expect(descriptionOf(screen.getByLabelText('Email'))).toBe(
      'Enter an email address like name@example.com.',
    );

    await user.type(screen.getByLabelText('Email'), '.com');
    expect(screen.getByLabelText('Email').getAttribute('aria-invalid')).toBeNull();
  });

  test('posts the form as JSON and lands in the app frame', async () => {
    const api = stubApi({
      ...signedOut,
      ...emptyInbox,
      'POST /api/auth/signup': () => json(201, session('owner')),
    });
    const { user } = await openSignup();

    await user.type(screen.getByLabelText('Email'), ' ada@example.com ');
    await user.type(screen.getByLabelText('Password'), '0123456789'); // exactly 10: allowed
    await user.type(screen.getByLabelText('Organization name'), 'Acme Support');
    await user.click(screen.getByRole('button', { name: 'Create organization' }));

    expect(await screen.findByRole('heading', { name: 'Inbox' })).toBeTruthy();
    expect(window.location.pathname).toBe('/inbox');
    const header = screen.getByRole('banner');
    expect(within(header).getByText('Acme Support')).toBeTruthy();
    expect(within(header).getByText('ada@example.com')).toBeTruthy();
    expect(within(header).getByText('Owner')).toBeTruthy();

    const [request] = api.find('POST /api/auth/signup');
    expect(request?.body).toEqual({
      email: 'ada@example.com',
      password: '0123456789',
      organization_name: 'Acme Support',
    });
    expect(request?.headers.get('Content-Type')).toBe('application/json');
    expect(request?.credentials).toBe('same-origin');
  });

  test('shows a taken email inline with a way to log in instead', async () => {
    stubApi({
      ...signedOut,
      'POST /api/auth/signup': () => apiError(409, 'email_taken', 'That email is already registered'),
    });
    const { user } = await openSignup();

    await user.type(screen.getByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'correct horse battery');
    await user.type(screen.getByLabelText('Organization name'), 'Acme');
    await user.click(screen.getByRole('button', { name: 'Create organization' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('An account with this email already exists.');
    expect(within(alert).getByRole('link', { name: 'Log in instead' }).getAttribute('href')).toBe('/login');
    expect(window.location.pathname).toBe('/signup');
  });

  test('shows the server’s message for other rejections and lets the person retry', async () => {
    stubApi({
      ...signedOut,
      'POST /api/auth/signup': () => apiError(400, 'invalid_body', 'organization_name is too long'),
    });
    const { user } = await openSignup();

    await user.type(screen.getByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'correct horse battery');
    await user.type(screen.getByLabelText('Organization name'), 'Acme');
    await user.click(screen.getByRole('button', { name: 'Create organization' }));

    expect((await screen.findByRole('alert')).textContent).toBe('organization_name is too long');
    const submit = screen.getByRole('button', { name: 'Create organization' }) as HTMLButtonElement;
    expect(submit.disabled).toBe(false);
  });
});
