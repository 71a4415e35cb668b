// Issue 12 items 6 and 7 in the inbox: who else is in the thread (GET …/presence on open, then the live
// stream's presence events; never yourself), what the thread reports (viewing on open, typing at most
// every 3 s from the composer, left on leaving), the customer panel (a sheet behind "Details" on narrow
// screens, beside the thread when wide and hideable), and pictures only from Parley's own URLs.
import { act, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { type LiveStream, stubEventSource } from '../test-support/event-source-stub.ts';
import { json, stubApi } from '../test-support/fetch-stub.ts';
import { conversation, message, minutesAgo } from '../test-support/fixtures.ts';
import { inboxRoutes } from '../test-support/inbox.ts';
import { renderApp, resetTestEnvironment } from '../test-support/render-app.tsx';
import { CustomerPanel } from './customer-panel.tsx';
import { presenceText } from './presence-line.tsx';

let stream: LiveStream;
beforeEach(() => {
  stream = stubEventSource();
});
afterEach(resetTestEnvironment);

// The signed-in member is u1 (Ada); Ana is u2 (test-support/inbox.ts).
const jane = conversation({
  id: 'c1',
  channel: 'instagram',
  assignee: { id: 'u2', name: 'Ana' },
  participant: {
    id: '17841400000001234',
    name: 'Jane Doe',
    handle: 'jane.doe',
    avatar_url: '/api/media/pic-1',
  },
  first_contact_at: '2026-03-14T09:30:00.000Z',
  last_message: message({ id: 'm1', text: 'Do you ship to Lisbon?', sent_at: minutesAgo(5) }),
});
const sam = conversation({
  id: 'c2',
  participant: {
    id: '24000000000005678',
    name: 'Sam Lee',
    handle: null,
    // Never shown: not a Parley URL.
    avatar_url: 'https://scontent.xx.fbcdn.net/v/pic.jpg',
  },
  last_message: message({ id: 'm2', text: 'Hi', sent_at: minutesAgo(10) }),
});

function setup(present: Array<{ id: string; name: string; state: string }> = []) {
  const api = stubApi({
    'POST /api/conversations/c1/messages': () =>
      json(201, {
        message: message({ id: 'm9', direction: 'outbound', status: 'sent', text: 'On its way' }),
      }),
    ...inboxRoutes({
      conversations: [jane, sam],
      threads: { c1: [jane.last_message!], c2: [sam.last_message!] },
    }),
    'GET /api/conversations/c1/presence': () =>
      json(200, {
        members: present.map((m) => ({
          user: { id: m.id, name: m.name },
          state: m.state,
          since: minutesAgo(1),
        })),
      }),
  });
  return { api, ...renderApp('/inbox/c1') };
}

const header = () => screen.getByRole('heading', { level: 2, name: 'Jane Doe' }).closest('header')!;
const presenceLine = () => header().querySelector('.presence-line')?.textContent ?? '';

describe('presence', () => {
  test('the words: one, two, several, typing and viewing together', () => {
    expect(presenceText([])).toBe('');
    expect(presenceText([{ id: 'u2', name: 'Ana', state: 'viewing' }])).toBe('Ana is viewing');
    expect(
      presenceText([
        { id: 'u2', name: 'Ana', state: 'viewing' },
        { id: 'u3', name: 'Bo', state: 'viewing' },
      ]),
    ).toBe('Ana and Bo are viewing');
    expect(
      presenceText([
        { id: 'u2', name: 'Ana', state: 'typing' },
        { id: 'u3', name: 'Bo', state: 'viewing' },
        { id: 'u4', name: 'Cy', state: 'viewing' },
      ]),
    ).toBe('Ana is typing… · Bo and Cy are viewing');
    expect(
      presenceText(
        ['Ana', 'Bo', 'Cy', 'Di', 'Ed'].map((name, i) => ({ id: `u${i}`, name, state: 'typing' })),
      ),
    ).toBe('Ana, Bo and 3 others are typing…');
  });

  test('who is already there is shown on open; live events follow; the member never sees themself', async () => {
    const { api } = setup([{ id: 'u2', name: 'Ana', state: 'viewing' }]);
    await screen.findByText('Ana is viewing');
    await stream.open();
    // A polite live region, in the header.
    const line = screen.getByText('Ana is viewing');
    expect(line.getAttribute('aria-live')).toBe('polite');
    expect(header().contains(line)).toBe(true);
    // The thread said it is being viewed.
    await waitFor(() => expect(api.find('POST /api/conversations/c1/presence').length).toBeGreaterThan(0));
    expect(api.find('POST /api/conversations/c1/presence')[0]!.body).toEqual({ state: 'viewing' });

    stream.send({
      type: 'presence',
      conversation_id: 'c1',
      user: { id: 'u2', name: 'Ana' },
      state: 'typing',
    });
    expect(await screen.findByText('Ana is typing…')).toBeTruthy();
    stream.send({
      type: 'presence',
      conversation_id: 'c1',
      user: { id: 'u3', name: 'Bo' },
      state: 'viewing',
    });
    expect(await screen.findByText('Ana is typing… · Bo is viewing')).toBeTruthy();
    // Yourself (u1), or another conversation: not shown.
    stream.send({
      type: 'presence',
      conversation_id: 'c1',
      user: { id: 'u1', name: 'Ada' },
      state: 'viewing',
    });
    stream.send({
      type: 'presence',
      conversation_id: 'c2',
      user: { id: 'u4', name: 'Cy' },
      state: 'viewing',
    });
    expect(presenceLine()).toBe('Ana is typing… · Bo is viewing');
    stream.send({ type: 'presence', conversation_id: 'c1', user: { id: 'u2', name: 'Ana' }, state: 'left' });
    expect(await screen.findByText('Bo is viewing')).toBeTruthy();
    stream.send({ type: 'presence', conversation_id: 'c1', user: { id: 'u3', name: 'Bo' }, state: 'left' });
    await waitFor(() => expect(presenceLine()).toBe(''));
  });

  test('typing in the composer says so at most every 3 s; leaving the thread says left', async () => {
    const { api, user } = setup();
    const box = await screen.findByRole('combobox', { name: 'Reply' });
    await user.type(box, 'Hello there');
    const typed = () =>
      api
        .find('POST /api/conversations/c1/presence')
        .filter((r) => (r.body as { state: string }).state === 'typing');
    await waitFor(() => expect(typed().length).toBe(1));
    await user.type(box, ' again');
    expect(typed().length).toBe(1);
    await user.click(screen.getByRole('link', { name: /Sam Lee/ }));
    await waitFor(() =>
      expect(
        api.find('POST /api/conversations/c1/presence').map((r) => (r.body as { state: string }).state),
      ).toContain('left'),
    );
    await waitFor(() => expect(api.find('POST /api/conversations/c2/presence').length).toBeGreaterThan(0));
  });

  test('writing an internal note is not typing: teammates are not warned off the customer', async () => {
    const { api, user } = setup();
    const states = () =>
      api.find('POST /api/conversations/c1/presence').map((r) => (r.body as { state: string }).state);
    await waitFor(() => expect(states()).toContain('viewing'));
    await user.click(screen.getByRole('tab', { name: 'Note' }));
    await user.type(screen.getByRole('combobox', { name: 'Internal note' }), 'Refund approved by Ana');
    // The reply box, typed into afterwards, still says typing: the note's keys were heard and ignored.
    await user.click(screen.getByRole('tab', { name: 'Reply' }));
    expect(states()).not.toContain('typing');
    await user.type(screen.getByRole('combobox', { name: 'Reply' }), 'Hi');
    await waitFor(() => expect(states()).toContain('typing'));
  });

  test('sending the reply ends typing at once: viewing follows', async () => {
    const { api, user } = setup();
    api.requests.length = 0;
    const box = await screen.findByRole('combobox', { name: 'Reply' });
    const states = () =>
      api.find('POST /api/conversations/c1/presence').map((r) => (r.body as { state: string }).state);
    await user.type(box, 'On its way');
    await waitFor(() => expect(states()).toContain('typing'));
    await user.keyboard('{Enter}');
    await waitFor(() => expect(states().at(-1)).toBe('viewing'));
    expect(states().indexOf('typing')).toBeLessThan(states().lastIndexOf('viewing'));
  });

  test('a member who stops typing without a word fades back to viewing after a few seconds', async () => {
    setup();
    await screen.findByRole('combobox', { name: 'Reply' });
    // The page opens its live stream in an effect: on a busy machine that can come after the composer.
    await stream.open();
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      stream.send({
        type: 'presence',
        conversation_id: 'c1',
        user: { id: 'u2', name: 'Ana' },
        state: 'typing',
      });
      expect(await screen.findByText('Ana is typing…')).toBeTruthy();
      await act(async () => {
        await vi.advanceTimersByTimeAsync(8_000);
      });
      expect(await screen.findByText('Ana is viewing')).toBeTruthy();
      await act(async () => {
        await vi.advanceTimersByTimeAsync(50_000);
      });
      await waitFor(() => expect(presenceLine()).toBe(''));
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('customer panel', () => {
  test('narrow screens: a sheet behind Details with picture, name, channel, handle, first contact, status and assignee', async () => {
    const { user } = setup();
    const details = await screen.findByRole('button', { name: 'Details' });
    expect(details.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByRole('complementary', { name: 'Details' })).toBeNull();
    await user.click(details);
    const panel = screen.getByRole('complementary', { name: 'Details' });
    expect(details.getAttribute('aria-expanded')).toBe('true');
    expect(within(panel).getByText('Jane Doe')).toBeTruthy();
    expect(within(panel).getAllByText('@jane.doe')).toHaveLength(1);
    expect(within(panel).getByText('Instagram', { selector: '.channel-badge' })).toBeTruthy();
    const first = within(panel).getByText((_, el) => el?.tagName === 'TIME');
    expect(first.getAttribute('datetime')).toBe('2026-03-14T09:30:00.000Z');
    expect(first.textContent).toMatch(/2026/);
    expect(within(panel).getByText('Open')).toBeTruthy();
    const assignee = within(panel).getByRole('combobox', { name: 'Assignee' }) as HTMLSelectElement;
    await waitFor(() => expect(assignee.value).toBe('u2'));
    const picture = panel.querySelector('img.avatar') as HTMLImageElement;
    expect(picture.getAttribute('src')).toBe('/api/media/pic-1');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('complementary', { name: 'Details' })).toBeNull();
    expect(document.activeElement).toBe(details);
  });

  test('wide screens: beside the thread unless hidden, and the choice is remembered', async () => {
    vi.stubGlobal('matchMedia', (query: string) => ({
      matches: query === '(min-width: 1100px)',
      media: query,
      addEventListener: () => {},
      removeEventListener: () => {},
    }));
    const { user, unmount } = setup();
    const details = await screen.findByRole('button', { name: 'Details' });
    expect(details.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByRole('complementary', { name: 'Details' })).toBeTruthy();
    await user.click(details);
    expect(screen.queryByRole('complementary', { name: 'Details' })).toBeNull();
    unmount();
    setup();
    const again = await screen.findByRole('button', { name: 'Details' });
    expect(again.getAttribute('aria-expanded')).toBe('false');
  });

  test.each([
    ['a name and a handle', 'Jane Doe', 'jane.doe', ['Jane Doe', '@jane.doe'], false],
    ['named by the handle (history import)', '@Jane.Doe', 'jane.doe', ['@Jane.Doe'], false],
    ['no handle known yet', 'Jane Doe', null, ['Jane Doe'], true],
    ['no name yet, the handle only (history import)', null, 'jane.doe', ['@jane.doe'], false],
  ])('the Instagram handle shows once: %s', (_, name, handle, lines, unknown) => {
    const panel = { wide: true, open: true, toggle: () => {}, close: () => {} };
    const shown = conversation({ ...jane, participant: { ...jane.participant, name, handle } });
    const view = render(<CustomerPanel id="p" conversation={shown} panel={panel} />);
    const who = view.container.querySelector('.customer-panel__who')!;
    expect([...who.querySelectorAll('p')].map((p) => p.textContent)).toEqual(lines);
    expect(view.container.textContent!.match(/@jane\.doe/gi)?.length ?? 0).toBe(handle ? 1 : 0);
    expect(within(view.container).queryByText('Not known yet') !== null).toBe(unknown);
  });

  test('list rows show the Parley picture, or initials for anything else', async () => {
    setup();
    const nav = await screen.findByRole('navigation', { name: 'Conversations' });
    const janeRow = within(nav).getByRole('link', { name: /Jane Doe/ });
    expect(janeRow.querySelector('img.avatar')?.getAttribute('src')).toBe('/api/media/pic-1');
    const samRow = within(nav).getByRole('link', { name: /Sam Lee/ });
    expect(samRow.querySelector('img')).toBeNull();
    expect(samRow.querySelector('.avatar--initials')?.textContent).toBe('SL');
  });
});
