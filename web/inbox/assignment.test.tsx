// Issue 12's assignment and authors in the inbox: the Mine and Unassigned views with their counts, the
// thread header's assignee menu, the composer's note that replying assigns, and who wrote each reply.
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import { json, stubApi } from '../test-support/fetch-stub.ts';
import { conversation, conversationsPage, message, minutesAgo } from '../test-support/fixtures.ts';
import { inboxRoutes } from '../test-support/inbox.ts';
import { renderApp, resetTestEnvironment } from '../test-support/render-app.tsx';

afterEach(resetTestEnvironment);

// The signed-in member is u1 (Ada); Ana is u2 (test-support/inbox.ts).
const jane = conversation({
  id: 'c1',
  participant: { id: '24000000000001234', name: 'Jane Doe', handle: null },
  last_message: message({ id: 'm1', text: 'Do you ship to Lisbon?', sent_at: minutesAgo(5) }),
});
const mine = conversation({
  id: 'c2',
  assignee: { id: 'u1', name: 'Ada' },
  participant: { id: '24000000000005678', name: 'Sam Lee', handle: null },
  last_message: message({
    id: 'm2',
    direction: 'outbound',
    status: 'sent',
    text: 'On its way',
    author: { id: 'u1', name: 'Ada' },
    sent_at: minutesAgo(20),
  }),
});
const anas = conversation({
  id: 'c3',
  assignee: { id: 'u2', name: 'Ana' },
  participant: { id: '24000000000009999', name: 'Kim Park', handle: null },
  last_message: message({
    id: 'm3',
    direction: 'outbound',
    status: 'sent',
    text: 'Refund sent',
    author: { id: 'u2', name: 'Ana' },
    sent_at: minutesAgo(30),
  }),
});

const links = () => within(screen.getByRole('navigation', { name: 'Conversations' })).getAllByRole('link');

describe('assignment', () => {
  test('Mine and Unassigned sit beside Everyone with their open counts, and ask the server for their views', async () => {
    const api = stubApi({
      ...inboxRoutes({ conversations: [jane, mine, anas], counts: { mine: 1, unassigned: 4 } }),
      'GET /api/conversations?assignee=me': () => json(200, conversationsPage([mine])),
      'GET /api/conversations?assignee=unassigned': () => json(200, conversationsPage([jane])),
    });
    const { user } = renderApp('/inbox');
    await screen.findByRole('link', { name: /Jane Doe/ });
    const views = screen.getByRole('group', { name: 'Assigned to' });
    expect(within(views).getByRole('button', { name: 'Everyone' }).getAttribute('aria-pressed')).toBe('true');
    expect(await within(views).findByRole('button', { name: 'Mine, 1 open' })).toBeTruthy();
    expect(within(views).getByRole('button', { name: 'Unassigned, 4 open' })).toBeTruthy();

    await user.click(within(views).getByRole('button', { name: /Mine/ }));
    await waitFor(() => expect(links()).toHaveLength(1));
    expect(links()[0]!.textContent).toContain('Sam Lee');
    expect(api.find('GET /api/conversations?assignee=me')).toHaveLength(1);

    await user.click(within(views).getByRole('button', { name: /Unassigned/ }));
    await waitFor(() => expect(links()[0]!.textContent).toContain('Jane Doe'));
    expect(links()).toHaveLength(1);
  });

  test("the list's preview names who wrote the last reply: You for mine, Ana for hers", async () => {
    stubApi(inboxRoutes({ conversations: [jane, mine, anas] }));
    renderApp('/inbox');
    expect((await screen.findByRole('link', { name: /Kim Park/ })).textContent).toContain('Ana: Refund sent');
    expect(screen.getByRole('link', { name: /Sam Lee/ }).textContent).toContain('You: On its way');
  });

  test('the assignee menu lists the members and Unassigned; choosing one assigns, and the composer stops saying a reply will', async () => {
    const api = stubApi({
      ...inboxRoutes({ conversations: [jane], threads: { c1: [message({ id: 'm1', text: 'Hello' })] } }),
      'PATCH /api/conversations/c1': () =>
        json(200, { conversation: { ...jane, assignee: { id: 'u2', name: 'Ana' } } }),
    });
    const { user } = renderApp('/inbox/c1');
    await within(await screen.findByRole('log')).findByText('Hello');
    const menu = screen.getByRole('combobox', { name: 'Assignee' }) as HTMLSelectElement;
    expect(menu.value).toBe('');
    await waitFor(() =>
      expect(
        within(menu)
          .getAllByRole('option')
          .map((o) => o.textContent),
      ).toEqual(['Unassigned', 'Ada', 'Ana']),
    );
    expect(screen.getByText('Replying assigns this conversation to you.')).toBeTruthy();

    await user.selectOptions(menu, 'u2');
    await waitFor(() => expect(api.find('PATCH /api/conversations/c1')).toHaveLength(1));
    expect(api.find('PATCH /api/conversations/c1')[0]!.body).toEqual({ assignee_id: 'u2' });
    await waitFor(() => expect(menu.value).toBe('u2'));
    expect(screen.queryByText('Replying assigns this conversation to you.')).toBeNull();
  });

  test('a refused assignment says why beside the menu', async () => {
    stubApi({
      ...inboxRoutes({ conversations: [jane], threads: { c1: [message({ id: 'm1', text: 'Hello' })] } }),
      'PATCH /api/conversations/c1': () =>
        json(422, {
          error: { code: 'not_a_member', message: 'That person is not a member of this organization' },
        }),
    });
    const { user } = renderApp('/inbox/c1');
    await within(await screen.findByRole('log')).findByText('Hello');
    const menu = screen.getByRole('combobox', { name: 'Assignee' });
    await waitFor(() => expect(within(menu).getAllByRole('option')).toHaveLength(3));
    await user.selectOptions(menu, 'u2');
    expect((await screen.findByRole('alert')).textContent).toContain('not a member');
  });

  test("our bubbles name their author; a reply made in Meta's app says where it was sent from", async () => {
    stubApi(
      inboxRoutes({
        conversations: [mine],
        threads: {
          c2: [
            message({
              id: 'm5',
              direction: 'outbound',
              status: 'sent',
              text: 'Answered on the phone',
              author: { id: null, name: 'Facebook' },
              sent_at: minutesAgo(10),
            }),
            message({
              id: 'm4',
              direction: 'outbound',
              status: 'sent',
              text: 'On its way',
              author: { id: 'u2', name: 'Ana' },
              sent_at: minutesAgo(20),
            }),
            message({ id: 'm3', text: 'Where is my parcel?', sent_at: minutesAgo(30) }),
          ],
        },
      }),
    );
    renderApp('/inbox/c2');
    const log = await screen.findByRole('log');
    const bubble = (text: string) => (within(log).getByText(text).closest('li') as HTMLElement).textContent;
    await within(log).findByText('On its way');
    expect(bubble('On its way')).toContain('Ana');
    expect(bubble('Answered on the phone')).toContain('Sent from Facebook');
    expect(bubble('Where is my parcel?')).not.toContain('Ana');
  });
});
