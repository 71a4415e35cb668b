// The composer's `/` picker (issue 12 item 8), in the whole app with the API stubbed at fetch: what
// opens it, how what follows the slash filters (titles first, then texts), the keyboard of the ARIA
// combobox (Up/Down, Enter, Tab, Escape) and the mouse, the customer's name in `{{first_name}}`, and
// one load of the list per page.
import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import type { SavedReplyView } from '../api/contract.ts';
import { json, stubApi } from '../test-support/fetch-stub.ts';
import { conversation, message } from '../test-support/fixtures.ts';
import { inboxRoutes } from '../test-support/inbox.ts';
import { renderApp, resetTestEnvironment } from '../test-support/render-app.tsx';

afterEach(resetTestEnvironment);

const saved = (id: string, title: string, text: string): SavedReplyView => ({
  id,
  title,
  text,
  updated_at: '2026-12-01T10:00:00.000Z',
});
// As the API sends them: ordered by title.
const replies = [
  saved('s1', 'Greeting', 'Hi {{first_name}}, thanks for writing to us!'),
  saved('s2', 'Opening hours', 'We are open 9–17, Monday to Friday.'),
  saved('s3', 'Refunds', 'Returns are refunded within 5 days.'),
  saved('s4', 'Return policy', 'You can return any item within 30 days.'),
];

const jane = conversation({ id: 'c1' });
const nameless = conversation({
  id: 'c2',
  participant: { id: '2400', name: null, handle: null },
  last_message: message({ id: 'm2', text: 'Hello?' }),
});

async function openThread(list: SavedReplyView[] = replies) {
  const api = stubApi({
    ...inboxRoutes({
      conversations: [jane, nameless],
      threads: {
        c1: [message({ text: 'Can I send it back?' })],
        c2: [message({ id: 'm2', text: 'Hello?' })],
      },
    }),
    'GET /api/saved-replies': () => json(200, { saved_replies: list }),
    'POST /api/conversations/c1/messages': (request) =>
      json(201, {
        message: message({
          id: 'm3',
          direction: 'outbound',
          status: 'sent',
          text: (request.body as { text: string }).text,
        }),
      }),
  });
  const view = renderApp('/inbox/c1');
  await within(await screen.findByRole('log')).findByText('Can I send it back?');
  return { api, ...view };
}

const box = () => screen.getByLabelText('Reply') as HTMLTextAreaElement;
const optionTitles = () =>
  within(screen.getByRole('listbox', { name: 'Saved replies' }))
    .queryAllByRole('option')
    .map((option) => option.querySelector('.trigger-picker__title')?.textContent);
const selected = () => within(screen.getByRole('listbox')).getByRole('option', { selected: true });

describe('the / picker in the composer', () => {
  test('/ at the start opens the list as a combobox; what follows filters titles first, then texts', async () => {
    const { user } = await openThread();
    expect(box().getAttribute('role')).toBe('combobox');
    expect(box().getAttribute('aria-expanded')).toBe('false');

    await user.type(box(), '/');
    expect(await screen.findByRole('listbox', { name: 'Saved replies' })).toBeTruthy();
    expect(optionTitles()).toEqual(['Greeting', 'Opening hours', 'Refunds', 'Return policy']);
    expect(box().getAttribute('aria-expanded')).toBe('true');
    expect(box().getAttribute('aria-controls')).toBe(screen.getByRole('listbox').id);

    await user.type(box(), 'ret');
    // "Return policy" by its title; "Refunds" only by its text ("Returns are…"), so after it.
    expect(optionTitles()).toEqual(['Return policy', 'Refunds']);
    expect(box().getAttribute('aria-activedescendant')).toBe(selected().id);
    expect(selected().textContent).toContain('Return policy');

    await user.clear(box());
    await user.type(box(), '/HOURS');
    expect(optionTitles()).toEqual(['Opening hours']);
  });

  test('Down then Enter inserts the chosen reply in place of the /query, without sending', async () => {
    const { api, user } = await openThread();
    await user.type(box(), 'Sure! /ret');
    await user.keyboard('{ArrowDown}');
    expect(selected().textContent).toContain('Refunds');
    await user.keyboard('{ArrowDown}');
    expect(selected().textContent).toContain('Return policy');
    await user.keyboard('{ArrowUp}');
    await user.keyboard('{Enter}');

    expect(box().value).toBe('Sure! Returns are refunded within 5 days.');
    expect(box().selectionStart).toBe(box().value.length);
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(box().getAttribute('aria-expanded')).toBe('false');
    expect(api.find('POST /api/conversations/c1/messages')).toHaveLength(0);

    // The next Enter sends, as usual.
    api.requests.length = 0;
    await user.keyboard('{Enter}');
    expect(api.find('POST /api/conversations/c1/messages')[0]?.body).toEqual({
      text: 'Sure! Returns are refunded within 5 days.',
    });
  });

  test('Tab inserts too, and {{first_name}} becomes the customer’s first name', async () => {
    const { user } = await openThread();
    await user.type(box(), '/gree');
    await user.keyboard('{Tab}');
    expect(box().value).toBe('Hi Jane, thanks for writing to us!');
    expect(document.activeElement).toBe(box());
  });

  test('without a customer name the placeholder stays, selected for typing over', async () => {
    const { user } = await openThread();
    await user.click(await screen.findByRole('link', { name: /Hello\?/ }));
    await within(await screen.findByRole('log')).findByText('Hello?');
    await user.type(box(), '/greeting');
    await user.keyboard('{Enter}');
    expect(box().value).toBe('Hi {{first_name}}, thanks for writing to us!');
    expect(box().value.slice(box().selectionStart, box().selectionEnd)).toBe('{{first_name}}');
  });

  test('Escape closes the list and keeps the typed text; it stays closed while that /word is typed on', async () => {
    const { user } = await openThread();
    await user.type(box(), 'see /ret');
    expect(screen.getByRole('listbox')).toBeTruthy();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(box().value).toBe('see /ret');
    await user.type(box(), 'urn');
    expect(screen.queryByRole('listbox')).toBeNull();
    // A new slash is a new question.
    await user.type(box(), ' /op');
    expect(optionTitles()).toEqual(['Opening hours']);
  });

  test('a click on an option inserts it', async () => {
    const { user } = await openThread();
    await user.type(box(), '/');
    await user.click(screen.getByRole('option', { name: /Opening hours/ }));
    expect(box().value).toBe('We are open 9–17, Monday to Friday.');
    expect(screen.queryByRole('listbox')).toBeNull();
  });

  test('a slash inside a word never opens it; with no match Enter still sends', async () => {
    const { api, user } = await openThread();
    await user.type(box(), 'and/or https://example.com');
    expect(box().getAttribute('aria-expanded')).toBe('false');
    await user.clear(box());
    await user.type(box(), '/zzz');
    expect(screen.getByText('No saved reply matches “zzz”.')).toBeTruthy();
    // "5 / 10": past a space with nothing matching, it is prose.
    await user.type(box(), ' apples');
    expect(box().getAttribute('aria-expanded')).toBe('false');
    await user.keyboard('{Enter}');
    expect(api.find('POST /api/conversations/c1/messages')[0]?.body).toEqual({ text: '/zzz apples' });
  });

  test('with no saved replies yet, / says where they come from', async () => {
    const { user } = await openThread([]);
    await user.type(box(), '/');
    expect(
      await screen.findByText(/No saved replies yet\. Owners and admins add them in Settings/),
    ).toBeTruthy();
  });

  test('the list is loaded once for the page, not once per conversation', async () => {
    const { api, user } = await openThread();
    await user.click(await screen.findByRole('link', { name: /Hello\?/ }));
    await within(await screen.findByRole('log')).findByText('Hello?');
    await user.type(box(), '/');
    expect(optionTitles()).toHaveLength(4);
    expect(api.find('GET /api/saved-replies')).toHaveLength(1);
  });
});
