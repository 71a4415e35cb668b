// Settings → Saved replies (issue 12 item 8): the empty state explains `/`; owners and admins add, edit
// and delete (after confirming) and see the server's refusals at the field; agents read the list only.
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import type { Role, SavedReplyView } from '../api/contract.ts';
import { apiError, json, type Routes, stubApi } from '../test-support/fetch-stub.ts';
import { session } from '../test-support/fixtures.ts';
import { renderApp, resetTestEnvironment } from '../test-support/render-app.tsx';

afterEach(resetTestEnvironment);

const saved = (id: string, title: string, text: string): SavedReplyView => ({
  id,
  title,
  text,
  updated_at: '2026-12-01T10:00:00.000Z',
});
const returns = saved('s1', 'Return policy', 'You can return any item within 30 days.');

/** A small in-memory server for the list, so a reload after a write shows the write. */
function routes(role: Role, list: SavedReplyView[], extra: Routes = {}): Routes {
  return {
    'GET /api/auth/me': () => json(200, session(role)),
    'GET /api/integrations/meta': () => json(200, { connected: false }),
    'GET /api/saved-replies': () => json(200, { saved_replies: [...list] }),
    ...extra,
  };
}

describe('Settings → Saved replies', () => {
  test('the empty state explains the / shortcut; an admin adds the first one and sees it listed', async () => {
    const list: SavedReplyView[] = [];
    const api = stubApi(
      routes('admin', list, {
        'POST /api/saved-replies': (request) => {
          const body = request.body as { title: string; text: string };
          const created = saved('s9', body.title, body.text);
          list.push(created);
          return json(201, { saved_reply: created });
        },
      }),
    );
    const { user } = renderApp('/settings/tab/saved-replies');
    const region = within(await screen.findByRole('region', { name: 'Saved replies' }));
    const empty = await region.findByText(/Saved replies are answers your team gives again and again/);
    expect(empty.textContent).toContain('by typing / and a few letters of its title in the reply box');
    expect(screen.getByRole('link', { name: 'Saved replies', current: 'page' })).toBeTruthy();

    const form = within(screen.getByRole('region', { name: 'Add a saved reply' }));
    await user.click(form.getByRole('button', { name: 'Add saved reply' }));
    expect(form.getByText('Enter a title.')).toBeTruthy();
    expect(document.activeElement).toBe(form.getByLabelText('Title'));
    expect(api.find('POST /api/saved-replies')).toHaveLength(0);

    await user.type(form.getByLabelText('Title'), 'Opening hours');
    await user.type(form.getByLabelText('Text'), 'We are open 9–17.');
    expect(form.getByLabelText('Text').getAttribute('aria-describedby')).toBeTruthy();
    expect(screen.getByText(/17 \/ 2,000 characters\. Instagram accepts 1,000/)).toBeTruthy();
    await user.click(form.getByRole('button', { name: 'Add saved reply' }));

    expect(api.find('POST /api/saved-replies')[0]?.body).toEqual({
      title: 'Opening hours',
      text: 'We are open 9–17.',
    });
    expect(await region.findByRole('heading', { name: 'Opening hours' })).toBeTruthy();
    expect(region.getByText('We are open 9–17.')).toBeTruthy();
    expect((form.getByLabelText('Title') as HTMLInputElement).value).toBe('');
  });

  test('a duplicate title (409) is shown at the title field', async () => {
    stubApi(
      routes('owner', [returns], {
        'POST /api/saved-replies': () =>
          apiError(409, 'title_taken', 'A saved reply with this title already exists; choose another title'),
      }),
    );
    const { user } = renderApp('/settings/tab/saved-replies');
    const form = within(await screen.findByRole('region', { name: 'Add a saved reply' }));
    await user.type(form.getByLabelText('Title'), 'return policy');
    await user.type(form.getByLabelText('Text'), 'Again');
    await user.click(form.getByRole('button', { name: 'Add saved reply' }));
    const title = form.getByLabelText('Title');
    expect(await form.findByText(/already exists/)).toBeTruthy();
    expect(title.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(title);
  });

  test('an owner edits one in place and deletes one after confirming', async () => {
    const list = [saved('s0', 'Greeting', 'Hi!'), returns];
    const api = stubApi(
      routes('owner', list, {
        'PATCH /api/saved-replies/s1': (request) => {
          const changed = { ...returns, ...(request.body as object) };
          list.splice(1, 1, changed);
          return json(200, { saved_reply: changed });
        },
        'DELETE /api/saved-replies/s0': () => {
          list.splice(0, 1);
          return json(204);
        },
      }),
    );
    const { user } = renderApp('/settings/tab/saved-replies');
    const region = within(await screen.findByRole('region', { name: 'Saved replies' }));
    await region.findByRole('heading', { name: 'Return policy' });

    const edits = region.getAllByRole('button', { name: 'Edit' });
    await user.click(edits[1]!);
    const text = region.getByLabelText('Text') as HTMLTextAreaElement;
    expect(text.value).toBe(returns.text);
    await user.clear(text);
    await user.type(text, 'Returns are free for 30 days.');
    await user.click(region.getByRole('button', { name: 'Save changes' }));
    expect(api.find('PATCH /api/saved-replies/s1')[0]?.body).toEqual({
      title: 'Return policy',
      text: 'Returns are free for 30 days.',
    });
    expect(await region.findByText('Returns are free for 30 days.')).toBeTruthy();

    await user.click(region.getAllByRole('button', { name: 'Delete' })[0]!);
    expect(api.find('DELETE /api/saved-replies/s0')).toHaveLength(0);
    await user.click(region.getByRole('button', { name: 'Cancel' }));
    await user.click(region.getAllByRole('button', { name: 'Delete' })[0]!);
    await user.click(region.getByRole('button', { name: 'Yes, delete “Greeting”' }));
    expect(api.find('DELETE /api/saved-replies/s0')).toHaveLength(1);
    // The list is read again after the DELETE answers; wait for that read rather than
    // for a heading that was already on the page (CI caught the race on a slow host).
    await waitFor(() => expect(region.queryByRole('heading', { name: 'Greeting' })).toBeNull());
    expect(region.getByRole('heading', { name: 'Return policy' })).toBeTruthy();
  });

  test('an agent reads the list without add, edit or delete', async () => {
    stubApi(routes('agent', [returns]));
    renderApp('/settings/tab/saved-replies');
    const region = within(await screen.findByRole('region', { name: 'Saved replies' }));
    expect(await region.findByText(returns.text)).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'Add a saved reply' })).toBeNull();
    expect(region.queryByRole('button')).toBeNull();
    expect(region.getByText('Only owners and admins can add, edit or delete saved replies.')).toBeTruthy();
  });
});
