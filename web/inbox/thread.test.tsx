import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import { apiError, json, stubApi } from '../test-support/fetch-stub.ts';
import { conversation, message, messagesPage, minutesAgo } from '../test-support/fixtures.ts';
import { inboxRoutes } from '../test-support/inbox.ts';
import { renderApp, resetTestEnvironment } from '../test-support/render-app.tsx';

afterEach(resetTestEnvironment);

const jane = conversation({ id: 'c1', unread_count: 1 });

/** Newest first, as the API sends them. */
const newestFirst = [
  message({ id: 'm6', direction: 'inbound', text: 'Perfect, thanks', sent_at: minutesAgo(1) }),
  message({
    id: 'm5',
    direction: 'outbound',
    status: 'read',
    text: 'It ships today.',
    sent_at: minutesAgo(2),
  }),
  message({
    id: 'm4',
    direction: 'outbound',
    status: 'delivered',
    text: 'Let me check.',
    sent_at: minutesAgo(3),
  }),
  message({ id: 'm3', direction: 'outbound', status: 'sent', text: 'Hi Jane!', sent_at: minutesAgo(4) }),
  message({
    id: 'm2',
    direction: 'inbound',
    text: null,
    attachments: [
      { type: 'image', url: '/api/media/p1', mime_type: 'image/png', size: 2000, name: null },
      { type: 'file', url: '/api/media/f1', mime_type: 'application/pdf', size: 3000, name: 'invoice.pdf' },
      { type: 'video', url: 'javascript:alert(1)', mime_type: 'video/mp4', size: 1, name: null },
    ],
    sent_at: minutesAgo(5),
  }),
  message({ id: 'm1', direction: 'inbound', text: 'héllo 👋\nwhere is my order?', sent_at: minutesAgo(6) }),
];

function bubbles() {
  return within(screen.getByRole('log')).getAllByRole('listitem');
}

describe('thread', () => {
  test('shows the messages oldest first, customer left and ours right, with delivery ticks', async () => {
    stubApi(inboxRoutes({ conversations: [jane], threads: { c1: newestFirst } }));
    renderApp('/inbox/c1');

    const log = await screen.findByRole('log');
    expect(log.getAttribute('aria-live')).toBe('polite');
    await within(log).findByText('Perfect, thanks');
    expect(screen.getByRole('heading', { name: 'Jane Doe' })).toBeTruthy();

    const items = bubbles();
    expect(items.map((item) => item.className)).toEqual([
      'bubble bubble--inbound',
      'bubble bubble--inbound',
      'bubble bubble--outbound',
      'bubble bubble--outbound',
      'bubble bubble--outbound',
      'bubble bubble--inbound',
    ]);
    expect(items[0]?.querySelector('.bubble__text')?.textContent).toBe('héllo 👋\nwhere is my order?');
    expect(within(items[2]!).getByRole('img', { name: 'Sent' }).getAttribute('title')).toBe('Sent');
    expect(within(items[3]!).getByRole('img', { name: 'Delivered' })).toBeTruthy();
    expect(within(items[4]!).getByRole('img', { name: 'Read' }).className).toContain('tick--read');
    expect(within(items[5]!).queryByRole('img')).toBeNull(); // the customer's messages have no tick
    expect(items[0]?.querySelector('time')?.getAttribute('datetime')).toBe(newestFirst[5]?.sent_at);

    // Attachments: Parley's own media URLs only; images shown, files linked, anything else never a link.
    const photo = within(items[1]!).getByRole('img', { name: 'Image' });
    expect(photo.getAttribute('src')).toBe('/api/media/p1');
    expect(
      within(items[1]!)
        .getByRole('link', { name: /invoice\.pdf/ })
        .getAttribute('href'),
    ).toBe('/api/media/f1');
    expect(within(items[1]!).getByText('Video: media no longer available')).toBeTruthy();
    expect(within(items[1]!).getAllByRole('link')).toHaveLength(2);

    // Opening the conversation marks it read, and the list stops counting it.
    const janeLink = screen.getByRole('link', { name: /Jane Doe/ });
    expect(janeLink.getAttribute('aria-current')).toBe('page');
    expect(janeLink.textContent).not.toContain('unread');
  });

  test('marks the conversation read when it is opened', async () => {
    const api = stubApi(inboxRoutes({ conversations: [jane], threads: { c1: newestFirst } }));
    renderApp('/inbox/c1');

    await screen.findByRole('log');
    await waitFor(() => expect(api.find('POST /api/conversations/c1/read')).toHaveLength(1));
    const [read] = api.find('POST /api/conversations/c1/read');
    expect(read?.body).toEqual({});
    expect(read?.headers.get('Content-Type')).toBe('application/json');
  });

  test('a failed message says "Not sent" and why; a message the customer unsent says so', async () => {
    stubApi(
      inboxRoutes({
        conversations: [jane],
        threads: {
          c1: [
            message({
              id: 'm2',
              direction: 'outbound',
              status: 'failed',
              text: 'Are you there?',
              sent_at: minutesAgo(1),
              failure_reason: 'Meta could not be reached or is busy; the message was not sent',
            }),
            message({ id: 'm1', deleted: true, text: null, reaction: '❤️', sent_at: minutesAgo(2) }),
          ],
        },
      }),
    );
    renderApp('/inbox/c1');

    await screen.findByText('Are you there?');
    const [unsent, failed] = bubbles();
    expect(
      within(failed!).getByText('Not sent: Meta could not be reached or is busy; the message was not sent'),
    ).toBeTruthy();
    expect(within(unsent!).getByText('Message unsent')).toBeTruthy();
    expect(within(unsent!).getByRole('img', { name: 'Reacted ❤️' })).toBeTruthy();
  });

  test('"Load older messages" fetches the next page and puts it above', async () => {
    const older = message({ id: 'm0', text: 'First ever message', sent_at: minutesAgo(60) });
    const api = stubApi({
      ...inboxRoutes({ conversations: [jane], threads: { c1: [] } }),
      'GET /api/conversations/c1/messages': () => json(200, messagesPage(newestFirst, 'older-1')),
      'GET /api/conversations/c1/messages?cursor=older-1': () => json(200, messagesPage([older], null)),
    });
    const { user } = renderApp('/inbox/c1');

    await user.click(await screen.findByRole('button', { name: 'Load older messages' }));
    await screen.findByText('First ever message');
    expect(bubbles()).toHaveLength(7);
    expect(bubbles()[0]?.textContent).toContain('First ever message');
    expect(screen.queryByRole('button', { name: 'Load older messages' })).toBeNull();
    expect(api.find('GET /api/conversations/c1/messages?cursor=older-1')).toHaveLength(1);
  });

  test('a conversation that is not ours (404) is not found, with a way back', async () => {
    stubApi({
      ...inboxRoutes({ conversations: [jane] }),
      'GET /api/conversations/other/messages': () => apiError(404, 'not_found', 'No such conversation'),
      'POST /api/conversations/other/read': () => apiError(404, 'not_found', 'No such conversation'),
    });
    renderApp('/inbox/other');

    expect(await screen.findByRole('heading', { name: 'Conversation not found' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Back to the inbox' }).getAttribute('href')).toBe('/inbox');
    expect(screen.queryByLabelText('Reply')).toBeNull();
  });

  test('switching conversations shows the other thread without reloading the list', async () => {
    const sam = conversation({
      id: 'c2',
      participant: { id: '24000000000005678', name: 'Sam Lee', handle: null },
      last_message: message({ id: 's1', text: 'Is the shop open?', sent_at: minutesAgo(30) }),
    });
    const api = stubApi(
      inboxRoutes({
        conversations: [jane, sam],
        threads: { c1: newestFirst, c2: [message({ id: 's1', text: 'Is the shop open?' })] },
      }),
    );
    const { user } = renderApp('/inbox/c1');
    await screen.findByText('Perfect, thanks');

    await user.click(screen.getByRole('link', { name: /Sam Lee/ }));
    expect(await within(screen.getByRole('log')).findByText('Is the shop open?')).toBeTruthy();
    expect(window.location.pathname).toBe('/inbox/c2');
    expect(screen.getByRole('heading', { name: 'Sam Lee' })).toBeTruthy();
    expect(api.find('GET /api/conversations')).toHaveLength(1);
  });
});
