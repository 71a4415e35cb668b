import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type LiveStream, stubEventSource } from '../test-support/event-source-stub.ts';
import { deferredResponse, json, stubApi } from '../test-support/fetch-stub.ts';
import { conversation, conversationsPage, message, minutesAgo } from '../test-support/fixtures.ts';
import { inboxRoutes } from '../test-support/inbox.ts';
import { renderApp, resetTestEnvironment } from '../test-support/render-app.tsx';

let stream: LiveStream;
beforeEach(() => {
  stream = stubEventSource();
});
afterEach(resetTestEnvironment);

const jane = conversation({
  id: 'c1',
  participant: { id: '24000000000001234', name: 'Jane Doe', handle: null },
  last_message: message({ id: 'j1', text: 'Where is my order?', sent_at: minutesAgo(30) }),
});
const sam = conversation({
  id: 'c2',
  participant: { id: '24000000000005678', name: 'Sam Lee', handle: null },
  last_message: message({ id: 's1', text: 'Is the shop open?', sent_at: minutesAgo(10) }),
});

function listNames(): string[] {
  const nav = screen.getByRole('navigation', { name: 'Conversations' });
  return within(nav)
    .getAllByRole('link')
    .map((link) => link.querySelector('.conversation-link__name')?.textContent ?? '');
}

function bubbles() {
  return within(screen.getByRole('log')).getAllByRole('listitem');
}

async function openJane() {
  const api = stubApi(
    inboxRoutes({
      conversations: [sam, jane],
      threads: { c1: [jane.last_message!], c2: [sam.last_message!] },
    }),
  );
  const view = renderApp('/inbox/c1');
  await within(await screen.findByRole('log')).findByText('Where is my order?');
  await stream.open();
  return { api, ...view };
}

describe('live updates', () => {
  test('listens on /api/events', async () => {
    await openJane();
    expect(stream.sources.map((source) => source.url)).toEqual(['/api/events']);
  });

  test('a new message appears in the open thread, moves its conversation to the top, and is marked read', async () => {
    const { api } = await openJane();
    expect(listNames()).toEqual(['Sam Lee', 'Jane Doe']);
    const readsBefore = api.find('POST /api/conversations/c1/read').length;

    const hello = message({ id: 'j2', text: 'héllo 👋', sent_at: new Date().toISOString() });
    stream.send({ type: 'message.created', conversation_id: 'c1', message: hello });

    expect(bubbles().at(-1)?.textContent).toContain('héllo 👋');
    expect(listNames()).toEqual(['Jane Doe', 'Sam Lee']);
    expect(screen.getByRole('link', { name: /Jane Doe/ }).textContent).toContain('héllo 👋');
    await waitFor(() => expect(api.find('POST /api/conversations/c1/read')).toHaveLength(readsBefore + 1));
  });

  test('a message in another conversation bumps it, with its unread count, and leaves the thread alone', async () => {
    const { api } = await openJane();
    const readsBefore = api.requests.filter((request) => request.path.endsWith('/read')).length;

    const ping = message({ id: 's2', text: 'Hello?', sent_at: new Date().toISOString() });
    stream.send({ type: 'message.created', conversation_id: 'c2', message: ping });
    stream.send({
      type: 'conversation.updated',
      conversation: { ...sam, last_message: ping, updated_at: ping.sent_at, unread_count: 3 },
    });

    const samLink = screen.getByRole('link', { name: /Sam Lee/ });
    expect(listNames()).toEqual(['Sam Lee', 'Jane Doe']);
    expect(samLink.textContent).toContain('Hello?');
    expect(within(samLink).getByText('3 unread messages')).toBeTruthy();
    expect(within(screen.getByRole('log')).queryByText('Hello?')).toBeNull();
    expect(api.requests.filter((request) => request.path.endsWith('/read'))).toHaveLength(readsBefore);
  });

  test('a conversation never seen before appears at the top', async () => {
    await openJane();
    const newcomer = conversation({
      id: 'c9',
      channel: 'instagram',
      participant: { id: '17840000000004242', name: 'Nina', handle: null },
      last_message: message({ id: 'n1', text: 'Hi from Instagram', sent_at: new Date().toISOString() }),
      unread_count: 1,
    });
    stream.send({ type: 'message.created', conversation_id: 'c9', message: newcomer.last_message! });
    stream.send({ type: 'conversation.updated', conversation: newcomer });

    expect(listNames()).toEqual(['Nina', 'Sam Lee', 'Jane Doe']);
    expect(screen.getByRole('link', { name: /Nina/ }).textContent).toContain('Instagram');
  });

  test('a status update turns the tick to Read', async () => {
    const delivered = message({
      id: 'j2',
      direction: 'outbound',
      status: 'delivered',
      text: 'It ships today.',
      sent_at: minutesAgo(5),
    });
    stubApi(inboxRoutes({ conversations: [jane], threads: { c1: [delivered, jane.last_message!] } }));
    renderApp('/inbox/c1');
    const log = await screen.findByRole('log');
    expect(await within(log).findByRole('img', { name: 'Delivered' })).toBeTruthy();
    await stream.open();

    stream.send({
      type: 'message.updated',
      conversation_id: 'c1',
      message: { ...delivered, status: 'read' },
    });
    expect(within(log).getByRole('img', { name: 'Read' })).toBeTruthy();
    expect(within(log).queryByRole('img', { name: 'Delivered' })).toBeNull();

    // A late "delivered" never moves it back.
    stream.send({ type: 'message.updated', conversation_id: 'c1', message: delivered });
    expect(within(log).getByRole('img', { name: 'Read' })).toBeTruthy();
  });

  test('our own send announced by the server before the POST answers shows once', async () => {
    const answer = deferredResponse();
    const { user } = await openJane();
    stubApi({
      ...inboxRoutes({ conversations: [sam, jane], threads: { c1: [jane.last_message!] } }),
      'POST /api/conversations/c1/messages': answer.handler,
    });

    await user.type(screen.getByLabelText('Reply'), 'On its way!');
    await user.click(screen.getByRole('button', { name: 'Send' }));
    const sent = message({
      id: 'j3',
      direction: 'outbound',
      status: 'sent',
      text: 'On its way!',
      sent_at: new Date().toISOString(),
    });
    stream.send({ type: 'message.created', conversation_id: 'c1', message: sent });
    stream.send({
      type: 'message.updated',
      conversation_id: 'c1',
      message: { ...sent, status: 'delivered' },
    });
    await act(async () => answer.resolve(json(201, { message: sent })));

    const log = screen.getByRole('log');
    expect(within(log).getAllByText('On its way!')).toHaveLength(1);
    // The POST's "sent" arrived after the event's "delivered": the tick stays at Delivered.
    expect(within(log).getByRole('img', { name: 'Delivered' })).toBeTruthy();
  });

  test('after a reconnect, refetches the list and the open thread to catch up', async () => {
    const { api } = await openJane();
    const missed = message({
      id: 'j9',
      text: 'Sent while you were offline',
      sent_at: new Date().toISOString(),
    });
    stubApi({
      ...inboxRoutes({
        conversations: [{ ...jane, last_message: missed, updated_at: missed.sent_at, unread_count: 1 }, sam],
        threads: { c1: [missed, jane.last_message!] },
      }),
    });

    stream.drop();
    expect(await screen.findByText(/Reconnecting/)).toBeTruthy();
    await stream.open();

    expect(await within(screen.getByRole('log')).findByText('Sent while you were offline')).toBeTruthy();
    await waitFor(() => expect(listNames()).toEqual(['Jane Doe', 'Sam Lee']));
    expect(screen.queryByText(/Reconnecting/)).toBeNull();
    expect(api.find('GET /api/conversations')).toHaveLength(1); // the first stub saw only the first load
  });
});

describe('live updates with a filtered list', () => {
  test('a conversation of the other channel does not enter a filtered list', async () => {
    stubApi({
      ...inboxRoutes({ conversations: [jane] }),
      'GET /api/conversations?channel=messenger': () => json(200, conversationsPage([jane])),
    });
    const { user } = renderApp('/inbox');
    await user.click(await screen.findByRole('button', { name: 'Messenger' }));
    await screen.findByRole('link', { name: /Jane Doe/ });
    await stream.open();

    const insta = conversation({
      id: 'c9',
      channel: 'instagram',
      participant: { id: '1', name: 'Nina', handle: null },
    });
    stream.send({ type: 'conversation.updated', conversation: insta });
    expect(screen.queryByRole('link', { name: /Nina/ })).toBeNull();
  });
});
