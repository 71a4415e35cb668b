// Drafts (drafts.ts): what was typed in a conversation's reply or note box and not sent comes back when
// the agent returns to that conversation — after opening another one, or after a reload of the tab — and
// is gone once sent, and when the agent logs out.
import { act, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import { json, stubApi } from '../test-support/fetch-stub.ts';
import { conversation, message, minutesAgo, session } from '../test-support/fixtures.ts';
import { inboxRoutes } from '../test-support/inbox.ts';
import { renderApp, resetTestEnvironment } from '../test-support/render-app.tsx';

afterEach(() => resetTestEnvironment());

const jane = conversation({ id: 'c1' });
const sam = conversation({
  id: 'c2',
  participant: { id: '24000000000005678', name: 'Sam Lee', handle: null },
  last_message: message({ id: 'm9', text: 'Is the shop open?' }),
});
const threads = {
  c1: [message({ id: 'm1', text: 'Where is my order?' })],
  c2: [message({ id: 'm9', text: 'Is the shop open?' })],
};

const replyBox = () => screen.getByLabelText('Reply') as HTMLTextAreaElement;
const noteBox = () => screen.getByLabelText('Internal note') as HTMLTextAreaElement;
const list = () => screen.getByRole('navigation', { name: 'Conversations' });

async function open(name: RegExp, text: string, user: ReturnType<typeof renderApp>['user']) {
  await user.click(within(list()).getByRole('link', { name }));
  await within(await screen.findByRole('log')).findByText(text);
}

describe('drafts', () => {
  test('a reply and a note typed in one conversation wait there while another is open', async () => {
    stubApi(inboxRoutes({ conversations: [jane, sam], threads }));
    const { user } = renderApp('/inbox/c1');
    await within(await screen.findByRole('log')).findByText('Where is my order?');

    await user.type(replyBox(), 'Let me check with the courier');
    await user.click(screen.getByRole('tab', { name: 'Note' }));
    await user.type(noteBox(), 'Courier is DHL');

    await open(/Sam Lee/, 'Is the shop open?', user);
    expect(replyBox().value).toBe('');
    expect(noteBox().value).toBe('');
    await user.type(replyBox(), 'Yes, until 6');

    await open(/Jane Doe/, 'Where is my order?', user);
    expect(replyBox().value).toBe('Let me check with the courier');
    expect(noteBox().value).toBe('Courier is DHL');
    await open(/Sam Lee/, 'Is the shop open?', user);
    expect(replyBox().value).toBe('Yes, until 6');
  });

  test('a draft survives a reload of the tab, and is gone once sent', async () => {
    const sent = message({
      id: 'm2',
      direction: 'outbound',
      status: 'sent',
      text: 'On its way',
      sent_at: minutesAgo(0),
    });
    const routes = {
      ...inboxRoutes({ conversations: [jane], threads }),
      'POST /api/conversations/c1/messages': () => json(201, { message: sent }),
    };
    stubApi(routes);
    const first = renderApp('/inbox/c1');
    await within(await screen.findByRole('log')).findByText('Where is my order?');
    await first.user.type(replyBox(), 'On its way');
    first.unmount();

    const second = renderApp('/inbox/c1');
    await within(await screen.findByRole('log')).findByText('Where is my order?');
    expect(replyBox().value).toBe('On its way');
    await second.user.type(replyBox(), '{Enter}');
    expect(await within(screen.getByRole('log')).findByRole('img', { name: 'Sent' })).toBeTruthy();
    second.unmount();

    renderApp('/inbox/c1');
    await within(await screen.findByRole('log')).findByText('Where is my order?');
    expect(replyBox().value).toBe('');
  });

  test('an added note leaves no draft behind', async () => {
    const api = stubApi({
      ...inboxRoutes({ conversations: [jane], threads }),
      'POST /api/conversations/c1/notes': () =>
        json(201, {
          message: message({
            id: 'n1',
            kind: 'note',
            direction: 'outbound',
            status: 'sent',
            text: 'Called her back',
            author: { id: 'u1', name: 'Ada' },
            mentions: [],
            sent_at: minutesAgo(0),
          }),
        }),
    });
    const first = renderApp('/inbox/c1');
    await within(await screen.findByRole('log')).findByText('Where is my order?');
    await first.user.click(screen.getByRole('tab', { name: 'Note' }));
    await first.user.type(noteBox(), 'Called her back{Enter}');
    expect(api.find('POST /api/conversations/c1/notes')).toHaveLength(1);
    await within(screen.getByRole('log')).findByText('Called her back');
    first.unmount();

    renderApp('/inbox/c1');
    await within(await screen.findByRole('log')).findByText('Where is my order?');
    expect(noteBox().value).toBe('');
  });

  test('logging out forgets every draft', async () => {
    stubApi({
      ...inboxRoutes({ conversations: [jane], threads }),
      'POST /api/auth/logout': () => json(204),
    });
    const first = renderApp('/inbox/c1');
    await within(await screen.findByRole('log')).findByText('Where is my order?');
    await first.user.type(replyBox(), 'Half a sentence');
    expect(Object.keys(sessionStorage).filter((k) => k.startsWith('parley.draft.'))).toHaveLength(1);
    await first.user.click(screen.getByRole('button', { name: 'Log out' }));
    await screen.findByRole('heading', { name: /Log in/ });
    expect(Object.keys(sessionStorage).filter((k) => k.startsWith('parley.draft.'))).toEqual([]);
  });

  test('drafts belong to who typed them: after a session ends without Log out, someone else signing in on the tab sees none, and the author gets theirs back', async () => {
    const bea = {
      ...session('agent'),
      user: { ...session('agent').user, id: 'u7', email: 'bea@example.com' },
    };
    const signedIn = (who: ReturnType<typeof session>) =>
      stubApi({
        ...inboxRoutes({ conversations: [jane], threads }),
        'GET /api/auth/me': () => json(200, who),
      });
    const openAs = async (who: ReturnType<typeof session>) => {
      signedIn(who);
      const view = renderApp('/inbox/c1');
      await within(await screen.findByRole('log')).findByText('Where is my order?');
      await act(async () => {});
      return view;
    };

    const ada = await openAs(session('agent'));
    await ada.user.type(replyBox(), 'Ada was typing this');
    ada.unmount();

    const asBea = await openAs(bea);
    expect(replyBox().value).toBe('');
    asBea.unmount();

    await openAs(session('agent'));
    expect(replyBox().value).toBe('Ada was typing this');
  });
});
