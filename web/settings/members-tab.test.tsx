import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import type { Role } from '../api/contract.ts';
import { apiError, json, type Routes, stubApi } from '../test-support/fetch-stub.ts';
import { member, session } from '../test-support/fixtures.ts';
import { descriptionOf, renderApp, resetTestEnvironment } from '../test-support/render-app.tsx';

afterEach(resetTestEnvironment);

const owner = member();
const agent = member({ user_id: 'u2', email: 'grace@example.com', role: 'agent' });

function routes(role: Role, extra: Routes = {}): Routes {
  return {
    'GET /api/auth/me': () => json(200, session(role)),
    'GET /api/organization/members': () => json(200, { members: [owner, agent] }),
    // The frame's health banner, for owners and admins.
    'GET /api/integrations/meta': () => json(200, { connected: false }),
    ...extra,
  };
}

describe('Settings → Members', () => {
  test('lists the members with their roles and marks the viewer', async () => {
    stubApi(routes('owner'));
    renderApp('/settings/tab/members');

    const rows = (await screen.findAllByRole('row')).slice(1).map((row) => row.textContent);
    expect(rows).toEqual(['ada@example.com (you)Owner', 'grace@example.comAgent']);
  });

  test('an owner adds a member, who then appears in the list', async () => {
    let members = [owner, agent];
    const api = stubApi(
      routes('owner', {
        'GET /api/organization/members': () => json(200, { members }),
        'POST /api/organization/members': () => {
          members = [...members, member({ user_id: 'u3', email: 'lin@example.com', role: 'admin' })];
          return json(201, { member: members.at(-1) });
        },
      }),
    );
    const { user } = renderApp('/settings/tab/members');
    const form = within(await screen.findByRole('region', { name: 'Add a member' }));

    await user.type(form.getByLabelText('Email'), 'lin@example.com');
    await user.type(form.getByLabelText('First password'), 'a-long-password');
    await user.selectOptions(form.getByLabelText('Role'), 'admin');
    await user.click(form.getByRole('button', { name: 'Add member' }));

    expect((await form.findByRole('status')).textContent).toBe('lin@example.com was added as admin.');
    expect(await screen.findByRole('cell', { name: 'lin@example.com' })).toBeTruthy();
    expect(api.find('POST /api/organization/members')[0]?.body).toEqual({
      email: 'lin@example.com',
      password: 'a-long-password',
      role: 'admin',
    });
    expect((form.getByLabelText('Email') as HTMLInputElement).value).toBe('');
  });

  test('checks the password length before asking the server', async () => {
    const api = stubApi(routes('admin'));
    const { user } = renderApp('/settings/tab/members');
    const form = within(await screen.findByRole('region', { name: 'Add a member' }));

    await user.type(form.getByLabelText('Email'), 'lin@example.com');
    await user.type(form.getByLabelText('First password'), 'short');
    await user.click(form.getByRole('button', { name: 'Add member' }));

    expect(descriptionOf(form.getByLabelText('First password'))).toContain('Use at least 10 characters.');
    expect(api.find('POST /api/organization/members')).toHaveLength(0);
  });

  test('shows a rejection from the server inline', async () => {
    stubApi(
      routes('owner', {
        'POST /api/organization/members': () => apiError(409, 'email_taken', 'email taken'),
      }),
    );
    const { user } = renderApp('/settings/tab/members');
    const form = within(await screen.findByRole('region', { name: 'Add a member' }));

    await user.type(form.getByLabelText('Email'), 'grace@example.com');
    await user.type(form.getByLabelText('First password'), 'a-long-password');
    await user.click(form.getByRole('button', { name: 'Add member' }));

    expect((await form.findByRole('alert')).textContent).toBe(
      'A Parley account with this email already exists.',
    );
  });

  test("speaks of the teammate's email, and an old error goes once the email is changed", async () => {
    stubApi(
      routes('owner', {
        'POST /api/organization/members': () => apiError(409, 'email_taken', 'email taken'),
      }),
    );
    const { user } = renderApp('/settings/tab/members');
    const form = within(await screen.findByRole('region', { name: 'Add a member' }));

    await user.click(form.getByRole('button', { name: 'Add member' }));
    expect(descriptionOf(form.getByLabelText('Email'))).toContain("Enter your teammate's email address.");
    expect(descriptionOf(form.getByLabelText('Email'))).not.toContain('Enter your email');

    await user.type(form.getByLabelText('Email'), 'grace@example.com');
    await user.type(form.getByLabelText('First password'), 'a-long-password');
    await user.click(form.getByRole('button', { name: 'Add member' }));
    expect(await form.findByRole('alert')).toBeTruthy();
    await user.type(form.getByLabelText('Email'), 'x');
    expect(form.queryByRole('alert')).toBeNull();
  });

  test('an agent sees the list but no form', async () => {
    stubApi(routes('agent'));
    renderApp('/settings/tab/members');

    expect(await screen.findByRole('cell', { name: 'grace@example.com' })).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'Add a member' })).toBeNull();
    expect(screen.getByText('Only owners and admins can add members.')).toBeTruthy();
  });
});
