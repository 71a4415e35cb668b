import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { MessageView } from '../api/contract.ts';
import { type LiveStream, stubEventSource } from '../test-support/event-source-stub.ts';
import { deferredResponse, json, stubApi } from '../test-support/fetch-stub.ts';
import { conversation, member, message, minutesAgo } from '../test-support/fixtures.ts';
import { inboxRoutes } from '../test-support/inbox.ts';
import { renderApp, resetTestEnvironment } from '../test-support/render-app.tsx';

let stream: LiveStream;
beforeEach(() => {
  stream = stubEventSource();
});
afterEach(resetTestEnvironment);

const customerMessage = message({ id: 'm1', text: 'Where is my order?', sent_at: minutesAgo(5) });
const jane = conversation({ id: 'c1', last_message: customerMessage });
const members = [
  member({ user_id: 'u1', email: 'ada@example.com', name: 'Ada', role: 'owner' }),
  member({ user_id: 'u2', email: 'ana.lima@example.com', name: 'Ana Lima', role: 'agent' }),
  member({ user_id: 'u3', email: 'bo@example.com', name: null, role: 'agent' }),
  member({ user_id: 'u4', email: 'anabel@example.com', name: 'Anabel', role: 'agent' }),
];

function note(overrides: Partial<MessageView> = {}): MessageView {
  return message({
    id: 'n1',
    kind: 'note',
    direction: 'outbound',
    status: 'sent',
    text: 'Ask @Ana Lima about it',
    author: { id: 'u1', name: 'Ada' },
    mentions: [{ id: 'u2', name: 'Ana Lima' }],
    sent_at: minutesAgo(1),
    ...overrides,
  });
}

async function openThread(routes = {}, thread: MessageView[] = [customerMessage]) {
  const api = stubApi({
    ...inboxRoutes({ conversations: [jane], threads: { c1: thread }, members }),
    ...routes,
  });
  const view = renderApp('/inbox/c1');
  await within(await screen.findByRole('log')).findByText('Where is my order?');
  await stream.open();
  return { api, ...view };
}

const noteTab = () => screen.getByRole('tab', { name: 'Note' });
const noteBox = () => screen.getByRole('combobox', { name: 'Internal note' }) as HTMLTextAreaElement;

describe('the composer’s Note mode', () => {
  test('Reply and Note are tabs (arrow keys move between them); each keeps its own draft; Note says "Add note"', async () => {
    const { user } = await openThread();
    const replyTab = screen.getByRole('tab', { name: 'Reply' });
    expect(replyTab.getAttribute('aria-selected')).toBe('true');
    await user.type(screen.getByLabelText('Reply'), 'Hello Jane');

    replyTab.focus();
    await user.keyboard('{ArrowRight}');
    expect(noteTab().getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(noteTab());
    expect(screen.getByRole('button', { name: 'Add note' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Send' })).toBeNull();
    expect(noteBox().closest('form')?.className).toContain('composer--note');

    await user.type(noteBox(), 'Private remark');
    await user.keyboard('{Shift>}{Tab}{/Shift}');
    noteTab().focus();
    await user.keyboard('{ArrowLeft}');
    expect((screen.getByLabelText('Reply') as HTMLTextAreaElement).value).toBe('Hello Jane');
    await user.click(noteTab());
    expect(noteBox().value).toBe('Private remark');
  });

  test('Enter adds the note: POST /notes, the box empties and the note shows as an Internal note, not in the list preview', async () => {
    const answer = deferredResponse();
    const { api, user } = await openThread({ 'POST /api/conversations/c1/notes': answer.handler });
    await user.click(noteTab());
    await user.type(noteBox(), 'Called her back{Enter}');
    expect(api.find('POST /api/conversations/c1/notes')[0]?.body).toEqual({ text: 'Called her back' });
    await act(async () =>
      answer.resolve(
        json(201, { message: note({ text: 'Called her back', mentions: [], sent_at: minutesAgo(0) }) }),
      ),
    );
    const log = screen.getByRole('log');
    const added = await within(log).findByText('Called her back');
    const item = added.closest('li')!;
    expect(item.className).toBe('note');
    expect(within(item).getByText('Internal note')).toBeTruthy();
    expect(within(item).getByText('Ada')).toBeTruthy();
    expect(noteBox().value).toBe('');
    // The list's preview keeps the customer's message.
    const list = screen.getByRole('navigation', { name: 'Conversations' });
    expect(within(list).getByText(/Where is my order\?/)).toBeTruthy();
    expect(within(list).queryByText(/Called her back/)).toBeNull();
  });

  test('a refused note keeps its text in the box and says why', async () => {
    const { user } = await openThread({
      'POST /api/conversations/c1/notes': () =>
        json(422, { error: { code: 'text_empty', message: 'Write something in the note first' } }),
    });
    await user.click(noteTab());
    await user.type(noteBox(), 'Keep me{Enter}');
    expect(await screen.findByText(/The note was not added: Write something/)).toBeTruthy();
    expect(noteBox().value).toBe('Keep me');
  });
});

describe('the @-picker', () => {
  test('typing @ offers matching members in a listbox; arrows move, Enter inserts "@Name ", Escape closes', async () => {
    const { user } = await openThread();
    await user.click(noteTab());
    const box = noteBox();
    expect(box.getAttribute('aria-expanded')).toBe('false');
    await user.type(box, 'Ping @an');
    const list = screen.getByRole('listbox', { name: 'Mention a teammate' });
    expect(box.getAttribute('aria-expanded')).toBe('true');
    const options = within(list).getAllByRole('option');
    expect(options.map((o) => o.querySelector('.mention-list__name')?.textContent)).toEqual([
      'Ana Lima',
      'Anabel',
    ]);
    expect(box.getAttribute('aria-activedescendant')).toBe(options[0]!.id);
    expect(options[0]!.getAttribute('aria-selected')).toBe('true');

    await user.keyboard('{ArrowDown}');
    expect(box.getAttribute('aria-activedescendant')).toBe(options[1]!.id);
    await user.keyboard('{ArrowUp}{Enter}');
    expect(box.value).toBe('Ping @Ana Lima ');
    expect(box.getAttribute('aria-expanded')).toBe('false');

    // A member without a name by their email's local part, chosen with Tab.
    await user.type(box, 'and @b');
    expect(within(screen.getByRole('listbox', { hidden: true })).getByText('bo')).toBeTruthy();
    await user.keyboard('{Tab}');
    expect(box.value).toBe('Ping @Ana Lima and @bo ');

    await user.type(box, '@a');
    expect(box.getAttribute('aria-expanded')).toBe('true');
    await user.keyboard('{Escape}');
    expect(box.getAttribute('aria-expanded')).toBe('false');
    // Enter, with the list closed, adds the note as usual (nothing is stubbed for it here: not sent).
    await user.type(box, 'x');
    expect(box.getAttribute('aria-expanded')).toBe('false');
  });

  test('an address like ana@example.com opens no picker', async () => {
    const { user } = await openThread();
    await user.click(noteTab());
    await user.type(noteBox(), 'mail ana@a');
    expect(noteBox().getAttribute('aria-expanded')).toBe('false');
  });
});

describe('notes in the thread', () => {
  test('a note renders as an Internal note with its author and time, mentions highlighted', async () => {
    await openThread({}, [note(), customerMessage]);
    const log = screen.getByRole('log');
    const item = within(log).getByText('Internal note').closest('li')!;
    expect(within(item).getByText('Ada')).toBeTruthy();
    expect(item.querySelector('time')).toBeTruthy();
    const marks = [...item.querySelectorAll('mark.note__mention')].map((m) => m.textContent);
    expect(marks).toEqual(['@Ana Lima']);
    expect(item.textContent).toContain('Ask @Ana Lima about it');
    // Not a bubble on either side, and no delivery tick.
    expect(item.className).not.toContain('bubble');
    expect(within(item).queryByRole('img')).toBeNull();
  });

  test('a member without a display name is highlighted by the email local part they were mentioned by', async () => {
    await openThread({}, [
      note({ id: 'n2', text: 'Thanks @bo!', mentions: [{ id: 'u3', name: 'bo@example.com' }] }),
      customerMessage,
    ]);
    const item = within(screen.getByRole('log')).getByText('Internal note').closest('li')!;
    expect([...item.querySelectorAll('mark.note__mention')].map((m) => m.textContent)).toEqual(['@bo']);
  });

  test('a teammate’s note arriving live joins the open thread and leaves the preview alone', async () => {
    await openThread();
    stream.send({
      type: 'message.created',
      conversation_id: 'c1',
      message: note({ id: 'n9', text: 'Live note' }),
    });
    const log = screen.getByRole('log');
    expect(await within(log).findByText('Live note')).toBeTruthy();
    const list = screen.getByRole('navigation', { name: 'Conversations' });
    expect(within(list).queryByText(/Live note/)).toBeNull();
  });
});

describe('mentions', () => {
  test('the @ count lists unread mentions; opening the conversation reads them', async () => {
    const reads: string[] = [];
    const { user } = await openThread({
      'GET /api/inbox/unread': () => json(200, { conversations: 0, mentions: 2 }),
      'GET /api/mentions': () =>
        json(200, {
          unread_count: 2,
          mentions: [
            {
              conversation_id: 'c1',
              message_id: 'n1',
              by: { id: 'u2', name: 'Ana Lima' },
              snippet: 'Can you call @Ada?',
              created_at: minutesAgo(2),
            },
          ],
        }),
      'POST /api/conversations/c1/mentions/read': () => {
        reads.push('c1');
        return json(200, { unread_count: 1 });
      },
    });
    // The open conversation is read as soon as the count shows there are mentions.
    await waitFor(() => expect(reads).toEqual(['c1']));
    const button = await screen.findByRole('button', { name: '1 unread mention' });
    await user.click(button);
    expect(await screen.findByText('Can you call @Ada?')).toBeTruthy();
    expect(screen.getByRole('link', { name: /Ana Lima/ }).getAttribute('href')).toBe('/inbox/c1?message=n1');
    await user.keyboard('{Escape}');
    expect(screen.queryByText('Can you call @Ada?')).toBeNull();
  });

  test('mentions read in another tab: the @ count follows without a reload; another member’s read changes nothing', async () => {
    let unread = 2;
    const api = stubApi({
      ...inboxRoutes({ conversations: [jane], threads: { c1: [customerMessage] }, members }),
      'GET /api/inbox/unread': () => json(200, { conversations: 0, mentions: unread }),
    });
    renderApp('/inbox');
    await screen.findByRole('button', { name: '2 unread mentions' });
    await stream.open();
    const asked = () => api.find('GET /api/inbox/unread').length;
    const before = asked();
    stream.send({ type: 'mentions.read', recipient_id: 'u2', conversation_id: 'c1', unread_count: 0 });
    await new Promise((r) => setTimeout(r, 400));
    expect(asked()).toBe(before);
    unread = 0;
    stream.send({ type: 'mentions.read', recipient_id: 'u1', conversation_id: 'c1', unread_count: 0 });
    await waitFor(() => expect(screen.queryByRole('button', { name: /unread mention/ })).toBeNull());
    expect(asked()).toBe(before + 1);
  });
});
