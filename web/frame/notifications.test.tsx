import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { ConversationView, LiveEvent } from '../api/contract.ts';
import { type LiveStream, stubEventSource } from '../test-support/event-source-stub.ts';
import { json, stubApi } from '../test-support/fetch-stub.ts';
import { conversation, message, minutesAgo } from '../test-support/fixtures.ts';
import { inboxRoutes } from '../test-support/inbox.ts';
import { renderApp, resetTestEnvironment } from '../test-support/render-app.tsx';
import { mayShowNotification, mentionNotification, messageNotification } from './notification-decision.ts';

const ME = 'u1';
const inbound = message({ id: 'm1', direction: 'inbound', text: 'Is it in stock?' });
const unassigned = conversation({
  id: 'c1',
  participant: { id: 'p1', name: 'Jane Doe', handle: null },
  assignee: null,
});
const mine: ConversationView = { ...unassigned, assignee: { id: ME, name: 'Ada' } };
const theirs: ConversationView = { ...unassigned, assignee: { id: 'u2', name: 'Bo' } };
const mention = (overrides: Partial<Extract<LiveEvent, { type: 'mention' }>> = {}): LiveEvent => ({
  type: 'mention',
  recipient_id: ME,
  conversation_id: 'c1',
  message_id: 'n1',
  by: { id: 'u2', name: 'Bo' },
  snippet: 'Can you take this, @Ada?',
  created_at: minutesAgo(0),
  ...overrides,
});

describe('should this event notify? (pure)', () => {
  test('a customer message in a conversation that is mine or nobody’s, not someone else’s', () => {
    expect(messageNotification(inbound, unassigned, ME)).toEqual({
      title: 'Jane Doe',
      body: 'Is it in stock?',
      conversationId: 'c1',
      tag: 'conversation-c1',
    });
    expect(messageNotification(inbound, mine, ME)?.conversationId).toBe('c1');
    expect(messageNotification(inbound, theirs, ME)).toBeNull();
  });

  test('never my own (or any) outbound message, nor a note', () => {
    const reply = message({ id: 'm2', direction: 'outbound', text: 'Yes', author: { id: ME, name: 'Ada' } });
    expect(messageNotification(reply, mine, ME)).toBeNull();
    const note = message({ id: 'n1', direction: 'outbound', kind: 'note', text: 'x' });
    expect(messageNotification(note, unassigned, ME)).toBeNull();
  });

  test('an attachment without text still says something', () => {
    const picture = message({
      id: 'm3',
      direction: 'inbound',
      text: null,
      attachments: [{ type: 'image', url: null, mime_type: null, size: null, name: null }],
    });
    expect(messageNotification(picture, unassigned, ME)?.body).toBe('Sent an attachment');
  });

  test('a mention of me by someone else; not of another member, not by myself, not other events', () => {
    expect(mentionNotification(mention(), ME)).toEqual({
      title: 'Bo mentioned you',
      body: 'Can you take this, @Ada?',
      conversationId: 'c1',
      tag: 'mention-n1',
    });
    expect(mentionNotification(mention({ recipient_id: 'u2' }), ME)).toBeNull();
    expect(mentionNotification(mention({ by: { id: ME, name: 'Ada' } }), ME)).toBeNull();
    expect(mentionNotification({ type: 'connection.updated' }, ME)).toBeNull();
  });

  test('shown only when turned on, permitted, and the tab is hidden', () => {
    const base = { enabled: true, permission: 'granted' as const, hidden: true };
    expect(mayShowNotification(base)).toBe(true);
    expect(mayShowNotification({ ...base, hidden: false })).toBe(false);
    expect(mayShowNotification({ ...base, enabled: false })).toBe(false);
    expect(mayShowNotification({ ...base, permission: 'denied' })).toBe(false);
    expect(mayShowNotification({ ...base, permission: 'default' })).toBe(false);
    expect(mayShowNotification({ ...base, permission: 'unsupported' })).toBe(false);
  });
});

describe('in the app', () => {
  let stream: LiveStream;
  let shown: Array<{ title: string; body?: string | undefined; instance: { onclick: (() => void) | null } }>;
  let hidden: boolean;
  let requestPermission: ReturnType<typeof vi.fn>;

  beforeEach(() => {
    stream = stubEventSource();
    shown = [];
    hidden = false;
    class FakeNotification {
      static permission: NotificationPermission = 'default';
      static requestPermission = vi.fn(async () => {
        FakeNotification.permission = 'granted';
        return FakeNotification.permission;
      });
      onclick: (() => void) | null = null;
      constructor(title: string, options?: NotificationOptions) {
        shown.push({ title, body: options?.body, instance: this });
      }
      close() {}
    }
    vi.stubGlobal('Notification', FakeNotification);
    requestPermission = FakeNotification.requestPermission;
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
  });
  afterEach(() => {
    Reflect.deleteProperty(document, 'hidden');
    resetTestEnvironment();
  });

  test('the tab title counts unread conversations and follows live changes', async () => {
    let unread = 3;
    stubApi({
      ...inboxRoutes({ conversations: [unassigned] }),
      'GET /api/inbox/unread': () => json(200, { conversations: unread, mentions: 0 }),
    });
    renderApp('/inbox');
    await waitFor(() => expect(document.title).toBe('(3) Inbox · Parley'));
    await stream.open();
    unread = 0;
    stream.send({ type: 'conversation.updated', conversation: { ...unassigned, unread_count: 0 } });
    await waitFor(() => expect(document.title).toBe('Inbox · Parley'));
    unread = 1;
    stream.send({ type: 'conversation.updated', conversation: { ...unassigned, unread_count: 1 } });
    await waitFor(() => expect(document.title).toBe('(1) Inbox · Parley'));
  });

  test('turned on from the Account page (permission asked on the click), it fires while hidden and a click opens the conversation', async () => {
    stubApi({
      ...inboxRoutes({ conversations: [unassigned], threads: { c1: [inbound] } }),
      'GET /api/auth/sessions': () => json(200, { sessions: [] }),
      'POST /api/conversations/c1/mentions/read': () => json(200, { unread_count: 0 }),
    });
    const { user } = renderApp('/account');
    const card = (await screen.findByRole('heading', { name: 'Desktop notifications' })).closest('section')!;
    expect(requestPermission).not.toHaveBeenCalled();
    await user.click(within(card).getByRole('button', { name: 'Enable desktop notifications' }));
    expect(await within(card).findByText('On in this browser')).toBeTruthy();
    expect(requestPermission).toHaveBeenCalledTimes(1);
    expect(localStorage.getItem('parley.desktop-notifications')).toBe('on');
    await stream.open();

    // Visible tab: nothing.
    stream.send({ type: 'message.created', conversation_id: 'c1', message: inbound });
    stream.send({ type: 'conversation.updated', conversation: unassigned });
    expect(shown).toEqual([]);

    hidden = true;
    stream.send({ type: 'message.created', conversation_id: 'c1', message: { ...inbound, id: 'm9' } });
    stream.send({ type: 'conversation.updated', conversation: unassigned });
    stream.send({ type: 'message.created', conversation_id: 'c1', message: { ...inbound, id: 'm10' } });
    stream.send({ type: 'conversation.updated', conversation: theirs });
    stream.send(mention());
    stream.send(mention({ recipient_id: 'u2', message_id: 'n2' }));
    expect(shown.map((n) => n.title)).toEqual(['Jane Doe', 'Bo mentioned you']);

    await act(async () => shown[0]!.instance.onclick?.());
    await within(await screen.findByRole('log')).findByText('Is it in stock?');
    expect(window.location.pathname).toBe('/inbox/c1');
  });
});
