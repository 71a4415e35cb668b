import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { PendingPagesResponse, PendingPageView } from '../../api/contract.ts';
import { apiError, deferredResponse, json, type Routes, stubApi } from '../../test-support/fetch-stub.ts';
import {
  activityRoute,
  connection,
  manyPages,
  pendingPage,
  pendingPages,
  session,
} from '../../test-support/fixtures.ts';
import {
  descriptionOf,
  renderApp,
  resetTestEnvironment,
  stubLocationAssign,
} from '../../test-support/render-app.tsx';

afterEach(resetTestEnvironment);

// user-event moves between radios with CSS.escape, which jsdom lacks; browsers all have it. This stand-in
// escapes what an identifier can't hold, enough for the group name "meta-page".
beforeEach(() => {
  vi.stubGlobal('CSS', { escape: (value: string) => value.replace(/[^\w-]/g, (char) => `\\${char}`) });
});

const PICKER = '/settings/tab/integrations?meta_select_page=true';

const threePages: PendingPageView[] = [
  pendingPage({ id: '1001', name: 'Acme Shoes', instagram_username: 'acmeshoes' }),
  pendingPage({
    id: '1002',
    name: 'Acme Outlet',
    instagram_username: null,
    instagram_business_account_id: null,
    available: false,
    unavailable_reason: 'connected_to_another_organization',
  }),
  pendingPage({
    id: '1003',
    name: 'Acme Blog',
    instagram_username: null,
    instagram_business_account_id: null,
  }),
  pendingPage({
    id: '1004',
    name: 'Acme Careers',
    instagram_username: 'acmejobs',
    available: false,
    unavailable_reason: 'missing_messaging_task',
  }),
];

function routes(pages: PendingPageView[], extra: Routes = {}): Routes {
  return {
    'GET /api/auth/me': () => json(200, session('owner')),
    'GET /api/integrations/meta': () => json(200, { connected: false }),
    'GET /api/integrations/meta/pending-pages': () => json(200, pendingPages(pages)),
    ...activityRoute(),
    ...extra,
  };
}

async function openPicker(pages: PendingPageView[], extra: Routes = {}, url = PICKER) {
  const api = stubApi(routes(pages, extra));
  const view = renderApp(url);
  const group = await screen.findByRole('group', { name: 'Facebook Page' });
  return { ...view, api, group };
}

describe('MetaPagePicker', () => {
  test('renders a skeleton first: no radios, no "expired", no Connect button while loading', async () => {
    const pending = deferredResponse();
    stubApi(routes([], { 'GET /api/integrations/meta/pending-pages': pending.handler }));
    renderApp(PICKER);

    const card = await screen.findByTestId('meta-card');
    expect(within(card).getByRole('status').textContent).toBe('Loading your Facebook Pages…');
    expect(within(card).queryByRole('radio')).toBeNull();
    expect(within(card).queryByText(/expired/)).toBeNull();
    expect(within(card).queryByRole('button', { name: 'Connect with Facebook' })).toBeNull();

    pending.resolve(json(200, pendingPages(threePages)));
    expect(await within(card).findAllByRole('radio')).toHaveLength(4);
  });

  test('lists each Page with its Instagram account, and greys out unavailable ones with their reason', async () => {
    const { group } = await openPicker(threePages);

    const shoes = within(group).getByRole('radio', { name: 'Acme Shoes' }) as HTMLInputElement;
    expect(shoes.disabled).toBe(false);
    expect(descriptionOf(shoes)).toBe('@acmeshoes');

    const blog = within(group).getByRole('radio', { name: 'Acme Blog' }) as HTMLInputElement;
    expect(descriptionOf(blog)).toBe('No Instagram account');

    const outlet = within(group).getByRole('radio', { name: 'Acme Outlet' }) as HTMLInputElement;
    expect(outlet.disabled).toBe(true);
    expect(descriptionOf(outlet)).toBe('No Instagram account Connected to another Parley organization');
    expect(outlet.closest('label')?.hasAttribute('data-unavailable')).toBe(true);

    const careers = within(group).getByRole('radio', { name: 'Acme Careers' }) as HTMLInputElement;
    expect(careers.disabled).toBe(true);
    expect(descriptionOf(careers)).toBe("@acmejobs You can't manage messages for this Page");

    expect(
      screen
        .getByText(/This list expires at/)
        .querySelector('time')
        ?.getAttribute('dateTime'),
    ).toBe('2026-03-05T12:05:00.000Z');
  });

  test('has no filter with 10 Pages', async () => {
    const { group } = await openPicker(manyPages(10));
    expect(within(group).getAllByRole('radio')).toHaveLength(10);
    expect(screen.queryByLabelText('Filter Pages')).toBeNull();
  });

  test('offers a filter above 10 Pages, matching names case-insensitively', async () => {
    const { user, group } = await openPicker([
      ...manyPages(10),
      pendingPage({ id: '3001', name: 'Zebra Café', instagram_username: 'zebra.cafe' }),
    ]);

    await user.type(screen.getByLabelText('Filter Pages'), 'page 1');
    expect(within(group).getAllByRole('radio')).toHaveLength(2);
    expect(within(group).getByRole('radio', { name: 'Page 1' })).toBeTruthy();
    expect(within(group).getByRole('radio', { name: 'Page 10' })).toBeTruthy();

    await user.clear(screen.getByLabelText('Filter Pages'));
    await user.type(screen.getByLabelText('Filter Pages'), 'ZEBRA.C');
    expect(within(group).getAllByRole('radio')).toHaveLength(1);

    await user.clear(screen.getByLabelText('Filter Pages'));
    await user.type(screen.getByLabelText('Filter Pages'), 'nothing like it');
    expect(within(group).queryAllByRole('radio')).toHaveLength(0);
    expect(within(group).getByText('No Pages match “nothing like it”.')).toBeTruthy();
  });

  test('an expired list (404 no_pending_pages) says so and offers Connect again', async () => {
    stubApi(
      routes([], {
        'GET /api/integrations/meta/pending-pages': () =>
          apiError(404, 'no_pending_pages', 'No pending pages for this flow'),
      }),
    );
    renderApp(PICKER);

    const card = await screen.findByTestId('meta-card');
    expect(
      await within(card).findByRole('heading', { name: 'This list expired — connect again' }),
    ).toBeTruthy();
    expect(within(card).getByRole('button', { name: 'Connect with Facebook' })).toBeTruthy();
    expect(within(card).queryByRole('radio')).toBeNull();
  });

  test('Save posts the chosen Page id, then shows the connected card without the query parameter', async () => {
    const saved = deferredResponse();
    const { user, group, api } = await openPicker(threePages, {
      'POST /api/integrations/meta/select-page': saved.handler,
    });

    await user.click(within(group).getByText('Acme Blog'));
    const save = screen.getByRole('button', { name: 'Save' });
    await user.click(save);
    expect(save.getAttribute('aria-busy')).toBe('true');
    expect((save as HTMLButtonElement).disabled).toBe(true);

    saved.resolve(
      json(200, {
        connection: connection({
          facebook_page_id: '1003',
          facebook_page_name: 'Acme Blog',
          instagram_username: null,
        }),
      }),
    );

    const card = screen.getByTestId('meta-card');
    expect(await within(card).findByRole('heading', { name: 'Acme Blog' })).toBeTruthy();
    expect(within(card).getByText('No Instagram account')).toBeTruthy();
    expect(within(card).queryByRole('radio')).toBeNull();
    expect(window.location.search).toBe('');
    const [request] = api.find('POST /api/integrations/meta/select-page');
    expect(request?.body).toEqual({ page_id: '1003' });
    expect(request?.headers.get('Content-Type')).toBe('application/json');
  });

  test('a Page saved with a failed subscription gets the warning, not "Messages now arrive"', async () => {
    const { user, group } = await openPicker(threePages, {
      'POST /api/integrations/meta/select-page': () =>
        json(200, {
          connection: connection({
            facebook_page_id: '1003',
            facebook_page_name: 'Acme Blog',
            status: 'needs_attention',
            webhooks: { page: 'failed', app_page: 'subscribed', app_instagram: 'subscribed' },
          }),
        }),
    });
    await user.click(within(group).getByText('Acme Blog'));
    await user.click(screen.getByRole('button', { name: 'Save' }));

    const banner = await screen.findByTestId('meta-error');
    expect(banner.textContent).toContain(
      'Your Page is connected, but Parley couldn’t subscribe to its messages yet.',
    );
    expect(screen.queryByText(/Messages to it now arrive/)).toBeNull();
  });

  test('Save without a choice asks for one and posts nothing', async () => {
    const { user, api } = await openPicker(threePages);

    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect(screen.getByRole('alert').textContent).toBe('Choose the Page to connect.');
    expect(api.find('POST /api/integrations/meta/select-page')).toHaveLength(0);
  });

  test('works from the keyboard: Tab into the list, Space picks, arrows skip unavailable Pages', async () => {
    const { user, group, api } = await openPicker(threePages, {
      'POST /api/integrations/meta/select-page': () => json(200, { connection: connection() }),
    });

    screen.getByRole('link', { name: 'Integrations' }).focus();
    await user.tab(); // nothing chosen yet: Tab lands on the first radio
    await user.keyboard(' ');
    expect((within(group).getByRole('radio', { name: 'Acme Shoes' }) as HTMLInputElement).checked).toBe(true);

    await user.keyboard('{ArrowDown}'); // skips the disabled Acme Outlet
    const blog = within(group).getByRole('radio', { name: 'Acme Blog' }) as HTMLInputElement;
    expect(document.activeElement).toBe(blog);
    expect(blog.checked).toBe(true);

    await user.keyboard('{ArrowDown}'); // Acme Careers is disabled too: wraps round to Acme Shoes
    expect(document.activeElement).toBe(within(group).getByRole('radio', { name: 'Acme Shoes' }));
    await user.keyboard('{ArrowUp}');
    expect(document.activeElement).toBe(blog);

    await user.tab(); // out of the radio group, onto Save
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Save' }));
    await user.keyboard('{Enter}');

    await waitFor(() =>
      expect(api.find('POST /api/integrations/meta/select-page')[0]?.body).toEqual({ page_id: '1003' }),
    );
  });

  test('the radio group is one tab stop that lands on the chosen Page', async () => {
    const { user, group } = await openPicker(threePages);

    await user.click(within(group).getByRole('radio', { name: 'Acme Blog' }));
    screen.getByRole('link', { name: 'Integrations' }).focus();

    await user.tab(); // a chosen Page: Tab lands on it, not on the first radio
    expect(document.activeElement).toBe(within(group).getByRole('radio', { name: 'Acme Blog' }));
    await user.tab(); // the group is one tab stop
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Save' }));
  });

  test('a Page taken meanwhile (409) is explained inline and greyed out', async () => {
    const { user, group } = await openPicker(threePages, {
      'POST /api/integrations/meta/select-page': () =>
        apiError(409, 'page_already_connected', 'page already connected'),
    });

    await user.click(within(group).getByRole('radio', { name: 'Acme Shoes' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect((await screen.findByRole('alert')).textContent).toBe(
      'That Page was just connected to another Parley organization. Choose a different Page.',
    );
    const shoes = within(group).getByRole('radio', { name: 'Acme Shoes' }) as HTMLInputElement;
    expect(shoes.disabled).toBe(true);
    expect(shoes.checked).toBe(false);
    expect(window.location.search).toBe('?meta_select_page=true');
  });

  test('a Page not in the list (422) is explained inline', async () => {
    const { user, group } = await openPicker(threePages, {
      'POST /api/integrations/meta/select-page': () => apiError(422, 'page_not_in_list', 'page not in list'),
    });

    await user.click(within(group).getByRole('radio', { name: 'Acme Blog' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect((await screen.findByRole('alert')).textContent).toContain('isn’t in the list Facebook shared');
  });

  test('a list that expires before Save switches to the expired state', async () => {
    const { user, group } = await openPicker(threePages, {
      'POST /api/integrations/meta/select-page': () => apiError(404, 'no_pending_pages', 'expired'),
    });

    await user.click(within(group).getByRole('radio', { name: 'Acme Blog' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect(await screen.findByRole('heading', { name: 'This list expired — connect again' })).toBeTruthy();
  });

  test('Cancel leaves the picker and shows the current status', async () => {
    const { user } = await openPicker(threePages);

    await user.click(screen.getByRole('button', { name: 'Cancel' }));

    expect(await screen.findByRole('button', { name: 'Connect with Facebook' })).toBeTruthy();
    expect(screen.queryByRole('radio')).toBeNull();
    expect(window.location.search).toBe('');
  });
});

describe('MetaPagePicker, grant-shrink warning', () => {
  const shrunk = (dropped: PendingPagesResponse['dropped_pages']) => ({
    'GET /api/integrations/meta/pending-pages': () =>
      json(200, { ...pendingPages(threePages), dropped_pages: dropped }),
  });
  const GRANT_SHRINK = `${PICKER}&meta_warning=grant_shrink`;

  test('names the one Page Facebook no longer shares, in another organization, above the list', async () => {
    stubApi(routes([], shrunk([{ id: '1009', name: 'Acme Kids', same_organization: false }])));
    renderApp(GRANT_SHRINK);

    const warning = await screen.findByTestId('meta-grant-shrink');
    expect(warning.getAttribute('role')).toBe('alert');
    expect(warning.textContent).toContain('Facebook no longer shares Acme Kids with Parley.');
    expect(warning.textContent).toContain(
      'Saving now may stop messages for that Page in another Parley organization. To keep it, connect again and keep it ticked.',
    );
    const group = screen.getByRole('group', { name: 'Facebook Page' });
    expect(warning.compareDocumentPosition(group) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  test('several Pages of this organization: "those Pages", "them", no other organization', async () => {
    stubApi(
      routes(
        [],
        shrunk([
          { id: '1001', name: 'Acme Shoes', same_organization: true },
          { id: '1009', name: 'Acme Kids', same_organization: true },
        ]),
      ),
    );
    renderApp(GRANT_SHRINK);

    const warning = await screen.findByTestId('meta-grant-shrink');
    expect(warning.textContent).toContain('Facebook no longer shares Acme Shoes and Acme Kids with Parley.');
    expect(warning.textContent).toContain(
      'Saving now may stop messages for those Pages. To keep them, connect again and keep them ticked.',
    );
  });

  test('Pages here and in another organization say both', async () => {
    stubApi(
      routes(
        [],
        shrunk([
          { id: '1001', name: 'Acme Shoes', same_organization: true },
          { id: '1009', name: 'Acme Kids', same_organization: false },
          { id: '1010', name: 'Acme Pets', same_organization: false },
        ]),
      ),
    );
    renderApp(GRANT_SHRINK);

    const warning = await screen.findByTestId('meta-grant-shrink');
    expect(warning.textContent).toContain(
      'Facebook no longer shares Acme Shoes, Acme Kids, and Acme Pets with Parley.',
    );
    expect(warning.textContent).toContain('for those Pages in this and another Parley organization.');
  });

  test('"Connect again" restarts the login; Save still works and clears the warning from the URL', async () => {
    const assign = stubLocationAssign();
    const { user, api } = await openPicker(
      threePages,
      {
        ...shrunk([{ id: '1009', name: 'Acme Kids', same_organization: false }]),
        'GET /api/integrations/meta/oauth-url': () => json(200, { url: 'https://www.facebook.com/dialog' }),
        'POST /api/integrations/meta/select-page': () => json(200, { connection: connection() }),
      },
      GRANT_SHRINK,
    );
    const warning = await screen.findByTestId('meta-grant-shrink');

    await user.click(within(warning).getByRole('button', { name: 'Connect again' }));
    await waitFor(() => expect(assign).toHaveBeenCalledWith('https://www.facebook.com/dialog'));

    await user.click(screen.getByRole('radio', { name: 'Acme Shoes' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('heading', { name: 'Acme Shoes' })).toBeTruthy();
    expect(api.find('POST /api/integrations/meta/select-page')[0]?.body).toEqual({ page_id: '1001' });
    expect(window.location.search).toBe('');
  });

  test('no warning when the login shares every Page connected before', async () => {
    await openPicker(threePages);
    expect(screen.queryByTestId('meta-grant-shrink')).toBeNull();
  });
});
