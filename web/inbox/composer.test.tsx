import { act, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { stubEventSource } from '../test-support/event-source-stub.ts';
import { apiError, deferredResponse, json, stubApi } from '../test-support/fetch-stub.ts';
import { connection, conversation, message, minutesAgo } from '../test-support/fixtures.ts';
import { inboxRoutes } from '../test-support/inbox.ts';
import { renderApp, resetTestEnvironment } from '../test-support/render-app.tsx';

afterEach(() => {
  vi.useRealTimers();
  resetTestEnvironment();
});

const jane = conversation({ id: 'c1' });
const thread = { c1: [message({ id: 'm1', text: 'Where is my order?' })] };

function replyBox(): HTMLTextAreaElement {
  return screen.getByLabelText('Reply') as HTMLTextAreaElement;
}

function sendButton(): HTMLButtonElement {
  return screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement;
}

function lastBubble(): HTMLElement {
  return within(screen.getByRole('log')).getAllByRole('listitem').at(-1)!;
}

async function openThread(routes = {}) {
  const api = stubApi({ ...inboxRoutes({ conversations: [jane], threads: thread }), ...routes });
  const view = renderApp('/inbox/c1');
  await within(await screen.findByRole('log')).findByText('Where is my order?');
  return { api, ...view };
}

describe('sending a reply', () => {
  test('shows the reply at once as pending, then as sent once the server confirms it', async () => {
    const answer = deferredResponse();
    const { api, user } = await openThread({ 'POST /api/conversations/c1/messages': answer.handler });

    await user.type(replyBox(), '  On its way!  ');
    await user.click(sendButton());

    // Optimistic: in the thread with a clock, the box emptied, before the server answered.
    expect(lastBubble().textContent).toContain('On its way!');
    expect(within(lastBubble()).getByRole('img', { name: 'Sending' })).toBeTruthy();
    expect(replyBox().value).toBe('');
    expect(document.activeElement).toBe(replyBox());
    expect(api.find('POST /api/conversations/c1/messages')[0]?.body).toEqual({ text: 'On its way!' });

    const sent = message({
      id: 'm2',
      direction: 'outbound',
      status: 'sent',
      text: 'On its way!',
      sent_at: minutesAgo(0),
    });
    await act(async () => answer.resolve(json(201, { message: sent })));

    expect(await within(lastBubble()).findByRole('img', { name: 'Sent' })).toBeTruthy();
    expect(within(screen.getByRole('log')).getAllByText('On its way!')).toHaveLength(1);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  test('Enter sends and Shift+Enter starts a new line', async () => {
    const sent = message({ id: 'm2', direction: 'outbound', status: 'sent', text: 'Line one\nLine two' });
    const { api, user } = await openThread({
      'POST /api/conversations/c1/messages': () => json(201, { message: sent }),
    });

    await user.type(replyBox(), 'Line one{Shift>}{Enter}{/Shift}Line two');
    expect(replyBox().value).toBe('Line one\nLine two');
    expect(api.find('POST /api/conversations/c1/messages')).toHaveLength(0);

    await user.keyboard('{Enter}');
    expect(api.find('POST /api/conversations/c1/messages')[0]?.body).toEqual({ text: 'Line one\nLine two' });
    expect(await within(lastBubble()).findByRole('img', { name: 'Sent' })).toBeTruthy();
  });

  test('a refused send (422) keeps the text in the box and shows why on the message', async () => {
    const reason = "More than 24 hours have passed since this person's last message";
    const { user } = await openThread({
      'POST /api/conversations/c1/messages': () => apiError(422, 'outside_messaging_window', reason),
    });

    await user.type(replyBox(), 'Sorry for the wait');
    await user.click(sendButton());

    expect((await screen.findByRole('alert')).textContent).toContain('its text is back in the box');
    expect(replyBox().value).toBe('Sorry for the wait');
    const failed = lastBubble();
    expect(failed.textContent).toContain('Sorry for the wait');
    expect(within(failed).getByText(`Not sent: ${reason}`)).toBeTruthy();
    expect(within(failed).queryByRole('img', { name: 'Sending' })).toBeNull();
  });
});

test('a send that fails after the server announced it still says why on the message', async () => {
  // The server stores the reply (pending) and announces it before calling Meta: the live copy takes the
  // pending one's place, then the POST answers 502.
  const stream = stubEventSource();
  const answer = deferredResponse();
  const { user } = await openThread({ 'POST /api/conversations/c1/messages': answer.handler });
  await stream.open();
  await user.type(replyBox(), 'Back in five');
  await user.click(sendButton());
  stream.send({
    type: 'message.created',
    conversation_id: 'c1',
    message: message({ id: 'm7', direction: 'outbound', status: 'pending', text: 'Back in five' }),
  });
  const reason = 'Meta could not be reached or is busy; the message was not sent. Try again in a moment';
  answer.resolve(apiError(502, 'meta_unavailable', reason));

  expect(await within(lastBubble()).findByText(`Not sent: ${reason}`)).toBeTruthy();
  expect(within(screen.getByRole('log')).getAllByText('Back in five')).toHaveLength(1);
});

describe('when the composer cannot send', () => {
  test('no Page connected: says so and links to Settings → Integrations', async () => {
    await openThread({ 'GET /api/integrations/meta': () => json(200, { connected: false }) });

    const reason = await screen.findByText(/Connect a Facebook Page in/);
    expect(reason.textContent).toContain('Connect a Facebook Page in Settings → Integrations');
    expect(within(reason).getByRole('link', { name: 'Settings → Integrations' }).getAttribute('href')).toBe(
      '/settings/tab/integrations',
    );
    expect(replyBox().disabled).toBe(true);
    expect(sendButton().disabled).toBe(true);
    expect(replyBox().getAttribute('aria-describedby')).toBe(reason.id);
  });

  test('Meta revoked access: asks for a reconnect', async () => {
    await openThread({
      'GET /api/integrations/meta': () =>
        json(200, { connected: true, connection: connection({ status: 'reauth_required' }) }),
    });

    expect(await screen.findByText(/Meta rejected Parley's access — reconnect in/)).toBeTruthy();
    expect(replyBox().disabled).toBe(true);
    expect(sendButton().disabled).toBe(true);
  });

  test('while the connection is still being checked, a reply can be typed but not sent', async () => {
    const status = deferredResponse();
    const api = stubApi({
      ...inboxRoutes({ conversations: [jane], threads: thread }),
      'GET /api/integrations/meta': status.handler,
    });
    const { user } = renderApp('/inbox/c1');
    await within(await screen.findByRole('log')).findByText('Where is my order?');

    await user.type(replyBox(), 'On its way!{Enter}');
    expect(replyBox().value).toBe('On its way!');
    expect(sendButton().disabled).toBe(true);
    expect(screen.getByRole('button', { name: 'Attach a file' }).hasAttribute('disabled')).toBe(true);
    expect(api.find('POST /api/conversations/c1/messages')).toHaveLength(0);

    await act(async () => status.resolve(json(200, { connected: true, connection: connection() })));
    expect(await screen.findByText(/Reply window: .* left/)).toBeTruthy();
    expect(sendButton().disabled).toBe(false);
    expect(replyBox().value).toBe('On its way!');
  });

  test('the 24-hour window closed: says when, and why', async () => {
    stubApi(
      inboxRoutes({
        conversations: [conversation({ id: 'c1', window_expires_at: minutesAgo(90) })],
        threads: thread,
      }),
    );
    renderApp('/inbox/c1');

    const reason = await screen.findByText(/The 24-hour reply window closed at/);
    expect(reason.textContent).toContain(
      "Meta only allows replies within 24 hours of the customer's last message.",
    );
    expect(replyBox().disabled).toBe(true);
    expect(sendButton().disabled).toBe(true);
  });

  test('while the window is open, counts down the time left each minute', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const closesAt = new Date(Date.now() + ((3 * 60 + 12) * 60 + 30) * 1000).toISOString();
    stubApi(
      inboxRoutes({
        conversations: [conversation({ id: 'c1', window_expires_at: closesAt })],
        threads: thread,
      }),
    );
    renderApp('/inbox/c1');

    expect(await screen.findByText('Reply window: 3 h 12 min left')).toBeTruthy();
    expect(replyBox().disabled).toBe(false);

    act(() => vi.advanceTimersByTime(60_000));
    expect(screen.getByText('Reply window: 3 h 11 min left')).toBeTruthy();
  });
});
