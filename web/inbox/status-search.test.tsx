import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import { json, stubApi } from '../test-support/fetch-stub.ts';
import { conversation, conversationsPage, message, minutesAgo } from '../test-support/fixtures.ts';
import { inboxRoutes } from '../test-support/inbox.ts';
import { renderApp, resetTestEnvironment } from '../test-support/render-app.tsx';

afterEach(resetTestEnvironment);

const jane = conversation({
  id: 'c1',
  participant: { id: '24000000000001234', name: 'Jane Doe', handle: null },
  last_message: message({ id: 'm1', text: 'Do you ship to Lisbon?', sent_at: minutesAgo(5) }),
});
const done = conversation({
  id: 'c2',
  status: 'resolved',
  participant: { id: '24000000000005678', name: 'Sam Lee', handle: null },
  last_message: message({ id: 'm2', text: 'Thanks, all good', sent_at: minutesAgo(50) }),
});

const links = (name = 'Conversations') =>
  within(screen.getByRole('navigation', { name })).getAllByRole('link');

describe('list filters, sort and search', () => {
  test('Open by default; Resolved and All one click away; the sort asks the server for waiting order', async () => {
    const api = stubApi({
      ...inboxRoutes({ conversations: [jane] }),
      'GET /api/conversations?status=resolved': () => json(200, conversationsPage([done])),
      'GET /api/conversations?status=all': () => json(200, conversationsPage([jane, done])),
      'GET /api/conversations?status=all&sort=waiting': () => json(200, conversationsPage([done, jane])),
    });
    const { user } = renderApp('/inbox');
    await screen.findByRole('link', { name: /Jane Doe/ });
    const status = screen.getByRole('group', { name: 'Status' });
    expect(within(status).getByRole('button', { name: 'Open' }).getAttribute('aria-pressed')).toBe('true');

    await user.click(within(status).getByRole('button', { name: 'Resolved' }));
    expect(await screen.findByRole('link', { name: /Sam Lee/ })).toBeTruthy();
    expect(links()).toHaveLength(1);
    expect(links()[0]!.textContent).toContain('Resolved');

    await user.click(within(status).getByRole('button', { name: 'All' }));
    await waitFor(() => expect(links()).toHaveLength(2));

    await user.selectOptions(screen.getByLabelText('Sort'), 'waiting');
    await waitFor(() => expect(api.find('GET /api/conversations?status=all&sort=waiting')).toHaveLength(1));
  });

  test('Resolve in the thread turns into Reopen and takes the conversation off the Open list', async () => {
    stubApi({
      ...inboxRoutes({
        conversations: [jane],
        threads: { c1: [message({ id: 'm1', text: 'Do you ship to Lisbon?' })] },
      }),
      'PATCH /api/conversations/c1': () => json(200, { conversation: { ...jane, status: 'resolved' } }),
    });
    const { user } = renderApp('/inbox/c1');
    await within(await screen.findByRole('log')).findByText('Do you ship to Lisbon?');
    await user.click(screen.getByRole('button', { name: 'Resolve' }));
    expect(await screen.findByRole('button', { name: 'Reopen' })).toBeTruthy();
    expect(screen.queryByRole('navigation', { name: 'Conversations' })).toBeNull();
  });

  test('the E key resolves the open conversation, but not while typing a reply', async () => {
    const api = stubApi({
      ...inboxRoutes({ conversations: [jane], threads: { c1: [message({ id: 'm1', text: 'Hello' })] } }),
      'PATCH /api/conversations/c1': () => json(200, { conversation: { ...jane, status: 'resolved' } }),
    });
    const { user } = renderApp('/inbox/c1');
    await within(await screen.findByRole('log')).findByText('Hello');
    await user.type(screen.getByLabelText('Reply'), 'e');
    expect(api.find('PATCH /api/conversations/c1')).toHaveLength(0);
    (document.activeElement as HTMLElement).blur();
    await user.keyboard('e');
    await waitFor(() => expect(api.find('PATCH /api/conversations/c1')).toHaveLength(1));
    expect(api.find('PATCH /api/conversations/c1')[0]!.body).toEqual({ status: 'resolved' });
    expect(await screen.findByRole('button', { name: 'Reopen' })).toBeTruthy();
  });

  test('search: one box, matching words highlighted, a hit links to its message', async () => {
    const api = stubApi({
      ...inboxRoutes({ conversations: [jane] }),
      'GET /api/conversations?q=lisb': () =>
        json(200, {
          conversations: [{ ...jane, match: { message_id: 'm1', snippet: 'Do you ship to Lisbon?' } }],
          next_cursor: null,
        }),
      'GET /api/conversations?q=jan': () =>
        json(200, { conversations: [{ ...jane, match: null }], next_cursor: null }),
    });
    const { user } = renderApp('/inbox');
    await screen.findByRole('link', { name: /Jane Doe/ });
    await user.type(screen.getByLabelText('Search conversations'), 'lisb');
    const hit = await within(await screen.findByRole('navigation', { name: 'Search results' })).findByRole(
      'link',
    );
    expect(hit.getAttribute('href')).toBe('/inbox/c1?message=m1');
    expect(hit.querySelector('mark')?.textContent).toBe('Lisbon');
    expect(api.find('GET /api/conversations?q=l')).toHaveLength(0);

    await user.clear(screen.getByLabelText('Search conversations'));
    await user.type(screen.getByLabelText('Search conversations'), 'jan');
    await waitFor(() => expect(links('Search results')[0]!.getAttribute('href')).toBe('/inbox/c1'));
    expect(links('Search results')[0]!.querySelector('mark')?.textContent).toBe('Jane');
  });
});

describe('composer limits', () => {
  async function openThread(channel: 'messenger' | 'instagram') {
    const c = conversation({ id: 'c1', channel });
    const api = stubApi(
      inboxRoutes({ conversations: [c], threads: { c1: [message({ id: 'm1', text: 'Hi' })] } }),
    );
    const view = renderApp('/inbox/c1');
    await within(await screen.findByRole('log')).findByText('Hi');
    return { api, ...view };
  }

  test('Instagram: a counter near 1,000, over-long text refused with the reason and kept whole', async () => {
    const { api } = await openThread('instagram');
    const box = screen.getByLabelText('Reply') as HTMLTextAreaElement;
    expect(box.getAttribute('dir')).toBe('auto');
    expect(box.hasAttribute('maxlength')).toBe(false);
    fireEvent.change(box, { target: { value: 'a'.repeat(700) } });
    expect(screen.queryByText(/\/ 1,000/)).toBeNull();
    fireEvent.change(box, { target: { value: 'a'.repeat(900) } });
    expect(screen.getByText('900 / 1,000')).toBeTruthy();
    const long = 'b'.repeat(1003);
    fireEvent.change(box, { target: { value: long } });
    expect(screen.getByText('1,003 / 1,000')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain(
      'Instagram accepts at most 1,000 characters: remove 3',
    );
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(true);
    await act(async () => {
      fireEvent.keyDown(box, { key: 'Enter' });
    });
    expect(box.value).toBe(long);
    expect(api.find('POST /api/conversations/c1/messages')).toHaveLength(0);
  });

  test('Messenger allows 2,000', async () => {
    await openThread('messenger');
    const box = screen.getByLabelText('Reply') as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: 'c'.repeat(1500) } });
    expect(screen.queryByText(/\/ 2,000/)).toBeNull();
    fireEvent.change(box, { target: { value: 'c'.repeat(2000) } });
    expect(screen.getByText('2,000 / 2,000')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(false);
  });
});
