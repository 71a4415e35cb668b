import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import { apiError, json, stubApi } from '../test-support/fetch-stub.ts';
import { conversation, conversationsPage, message, minutesAgo } from '../test-support/fixtures.ts';
import { inboxRoutes } from '../test-support/inbox.ts';
import { renderApp, resetTestEnvironment } from '../test-support/render-app.tsx';

afterEach(resetTestEnvironment);

const jane = conversation({
  id: 'c1',
  participant: { id: '24000000000001234', name: 'Jane Doe', handle: null },
  last_message: message({ id: 'm1', text: 'Do you ship to Lisbon?', sent_at: minutesAgo(5) }),
  unread_count: 2,
});
const nameless = conversation({
  id: 'c2',
  channel: 'instagram',
  participant: { id: '17840000000009876', name: null, handle: null },
  last_message: message({
    id: 'm2',
    direction: 'outbound',
    status: 'read',
    text: 'Thanks!',
    sent_at: minutesAgo(90),
  }),
  unread_count: 0,
});

function conversationLinks() {
  return within(screen.getByRole('navigation', { name: 'Conversations' })).getAllByRole('link');
}

describe('conversation list', () => {
  test('lists conversations newest first with channel, name, last message, time and unread count', async () => {
    stubApi(inboxRoutes({ conversations: [jane, nameless] }));
    renderApp('/inbox');

    const janeLink = await screen.findByRole('link', { name: /Jane Doe/ });
    expect(janeLink.getAttribute('href')).toBe('/inbox/c1');
    expect(janeLink.textContent).toContain('Messenger');
    expect(janeLink.textContent).toContain('Do you ship to Lisbon?');
    expect(janeLink.textContent).toContain('5 min');
    expect(within(janeLink).getByText('2 unread messages')).toBeTruthy();

    // No name from Meta: "Customer ·" and the last 4 digits of their id.
    const customerLink = screen.getByRole('link', { name: /Customer · 9876/ });
    expect(customerLink.textContent).toContain('Instagram');
    expect(customerLink.textContent).toContain('You: Thanks!');
    expect(customerLink.textContent).toContain('1 h');
    expect(customerLink.textContent).not.toContain('unread');

    expect(conversationLinks()).toEqual([janeLink, customerLink]);
    expect(screen.getByText('Select a conversation to read it and reply.')).toBeTruthy();
  });

  test('no name yet but an Instagram username (imported history): "@username", with its initials', async () => {
    const ivy = conversation({
      id: 'c3',
      channel: 'instagram',
      participant: { id: '17840000000004321', name: null, handle: 'ivy.insta' },
    });
    stubApi(inboxRoutes({ conversations: [ivy] }));
    renderApp('/inbox');

    const link = await screen.findByRole('link', { name: /@ivy\.insta/ });
    expect(link.textContent).not.toContain('Customer ·');
    expect(link.querySelector('.avatar--initials')?.textContent).toBe('II');
  });

  test('with no conversations yet, explains where they come from and how to try it in sandbox mode', async () => {
    stubApi(inboxRoutes({ conversations: [] }));
    renderApp('/inbox');

    expect(await screen.findByText('Messages to your Page and Instagram account appear here.')).toBeTruthy();
    const emulator = screen.getByRole('link', { name: 'http://localhost:3001' });
    expect(emulator.getAttribute('href')).toBe('http://localhost:3001');
    expect(emulator.closest('p')?.textContent).toContain('In sandbox mode, play the customer');
    expect(screen.getByRole('link', { name: 'Settings → Integrations' }).getAttribute('href')).toBe(
      '/settings/tab/integrations',
    );
    expect(screen.queryByRole('navigation', { name: 'Conversations' })).toBeNull();
  });

  test('filters by channel, and pages on with "Load more"', async () => {
    const older = conversation({
      id: 'c3',
      channel: 'instagram',
      participant: { id: '17840000000005555', name: 'Old Timer', handle: null },
      last_message: message({ id: 'm3', sent_at: minutesAgo(60 * 24 * 3) }),
    });
    const api = stubApi({
      ...inboxRoutes({ conversations: [jane, nameless] }),
      'GET /api/conversations?channel=instagram': () => json(200, conversationsPage([nameless], 'cursor-1')),
      'GET /api/conversations?channel=instagram&cursor=cursor-1': () =>
        json(200, conversationsPage([older], null)),
    });
    const { user } = renderApp('/inbox');
    await screen.findByRole('link', { name: /Jane Doe/ });

    const filter = screen.getByRole('group', { name: 'Channel' });
    expect(within(filter).getByRole('button', { name: 'All' }).getAttribute('aria-pressed')).toBe('true');
    await user.click(within(filter).getByRole('button', { name: 'Instagram' }));

    await screen.findByRole('button', { name: 'Load more' });
    expect(within(filter).getByRole('button', { name: 'Instagram' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    expect(screen.queryByRole('link', { name: /Jane Doe/ })).toBeNull();
    expect(conversationLinks()).toHaveLength(1);

    await user.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await screen.findByRole('link', { name: /Old Timer/ })).toBeTruthy();
    expect(conversationLinks().map((link) => link.getAttribute('href'))).toEqual(['/inbox/c2', '/inbox/c3']);
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    expect(api.find('GET /api/conversations?channel=instagram&cursor=cursor-1')).toHaveLength(1);
  });

  test('a list that fails to load says so and can be retried', async () => {
    let calls = 0;
    stubApi({
      ...inboxRoutes({ conversations: [] }),
      'GET /api/conversations': () =>
        ++calls === 1
          ? apiError(503, 'unavailable', 'Parley is restarting.')
          : json(200, conversationsPage([jane])),
    });
    const { user } = renderApp('/inbox');

    expect((await screen.findByRole('alert')).textContent).toContain('Parley is restarting.');
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('link', { name: /Jane Doe/ })).toBeTruthy();
  });
});
