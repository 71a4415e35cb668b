import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import type { Role } from '../api/contract.ts';
import { apiError, json, type Routes, stubApi } from '../test-support/fetch-stub.ts';
import { member, session } from '../test-support/fixtures.ts';
import { renderApp, resetTestEnvironment } from '../test-support/render-app.tsx';

afterEach(resetTestEnvironment);

const owner = member();
const agent = member({ user_id: 'u2', email: 'grace@example.com', name: 'Grace Hopper', role: 'agent' });

function routes(role: Role, extra: Routes = {}): Routes {
  return {
    'GET /api/auth/me': () => json(200, session(role)),
    'GET /api/organization/members': () => json(200, { members: [owner, agent] }),
    'GET /api/organization/invitations': () => json(200, { invitations: [] }),
    // The frame's health banner, for owners and admins.
    'GET /api/integrations/meta': () => json(200, { connected: false }),
    ...extra,
  };
}

describe('Settings → Members', () => {
  test('lists members by name (email without one) and marks the viewer', async () => {
    stubApi(routes('owner'));
    renderApp('/settings/tab/members');
    const list = within(await screen.findByRole('region', { name: 'Members' }));
    expect(await list.findByText('Grace Hopper')).toBeTruthy();
    expect(list.getByText('grace@example.com')).toBeTruthy();
    expect(list.getByText('(you)')).toBeTruthy();
  });

  test('an owner invites a teammate by email and gets a link to copy', async () => {
    const api = stubApi(
      routes('owner', {
        'POST /api/organization/invitations': () =>
          json(201, {
            invitation: {
              id: 'i1',
              email: 'lin@example.com',
              role: 'admin',
              expires_at: '2026-12-05T12:00:00.000Z',
              url: 'http://localhost:3000/invite/abc',
            },
          }),
      }),
    );
    const { user } = renderApp('/settings/tab/members');
    const form = within(await screen.findByRole('region', { name: 'Invite a teammate' }));
    await user.type(form.getByLabelText('Teammate’s email'), 'lin@example.com');
    await user.selectOptions(form.getByLabelText('Role'), 'admin');
    await user.click(form.getByRole('button', { name: 'Create invitation' }));
    expect(((await form.findByLabelText('Invitation link')) as HTMLInputElement).value).toBe(
      'http://localhost:3000/invite/abc',
    );
    expect(api.find('POST /api/organization/invitations')[0]?.body).toEqual({
      email: 'lin@example.com',
      role: 'admin',
    });
  });

  test('speaks of the teammate’s email and shows a 409 beside the field', async () => {
    stubApi(
      routes('admin', {
        'POST /api/organization/invitations': () =>
          apiError(409, 'already_member', 'This person is already a member of your organization'),
      }),
    );
    const { user } = renderApp('/settings/tab/members');
    const form = within(await screen.findByRole('region', { name: 'Invite a teammate' }));
    await user.click(form.getByRole('button', { name: 'Create invitation' }));
    expect(await form.findByText('Enter your teammate’s email address.')).toBeTruthy();
    await user.type(form.getByLabelText('Teammate’s email'), 'grace@example.com');
    await user.click(form.getByRole('button', { name: 'Create invitation' }));
    expect(await form.findByText('This person is already a member of your organization')).toBeTruthy();
  });

  test('an agent sees the list but no invitation form', async () => {
    stubApi(routes('agent'));
    renderApp('/settings/tab/members');
    expect(await screen.findByText('Grace Hopper')).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'Invite a teammate' })).toBeNull();
    expect(screen.getByText('Only owners and admins can invite and manage members.')).toBeTruthy();
  });
});
