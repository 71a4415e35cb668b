// Issue 13: how the thread shows every kind of message (the API test checks what is stored; this
// checks what an agent sees).
import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import type { AttachmentView } from '../api/contract.ts';
import { stubApi } from '../test-support/fetch-stub.ts';
import { conversation, message, minutesAgo } from '../test-support/fixtures.ts';
import { inboxRoutes } from '../test-support/inbox.ts';
import { renderApp, resetTestEnvironment } from '../test-support/render-app.tsx';

afterEach(resetTestEnvironment);

const file = (over: Partial<AttachmentView>): AttachmentView => ({
  type: 'image',
  url: null,
  mime_type: null,
  size: null,
  name: null,
  ...over,
});

const kinds = [
  message({
    id: 'k1',
    text: 'Hello',
    referral: { source: 'ADS', type: 'OPEN_THREAD', ref: null, ad_id: '1', ad_title: 'Spring sale' },
    reaction: '❤️',
    edit_count: 1,
  }),
  message({ id: 'k2', text: null, attachments: [file({ url: '/api/media/a1', mime_type: 'image/png' })] }),
  message({
    id: 'k3',
    text: null,
    attachments: [file({ type: 'video', url: '/api/media/a2', mime_type: 'video/mp4' })],
  }),
  message({
    id: 'k4',
    text: null,
    attachments: [file({ type: 'audio', url: '/api/media/a3', mime_type: 'audio/mpeg' })],
  }),
  message({
    id: 'k5',
    text: null,
    attachments: [
      file({
        type: 'file',
        url: '/api/media/a4',
        mime_type: 'application/pdf',
        name: 'invoice.pdf',
        size: 2048,
      }),
    ],
  }),
  message({
    id: 'k6',
    text: null,
    attachments: [file({ url: '/api/media/a5', mime_type: 'image/png', sticker: true })],
  }),
  message({
    id: 'k7',
    text: null,
    attachments: [file({ type: 'location', title: 'Bakery', location: { lat: 48.85, long: 2.35 } })],
  }),
  message({
    id: 'k8',
    text: null,
    attachments: [file({ type: 'fallback', title: 'Our menu', link: 'https://example.com/menu' })],
  }),
  message({ id: 'k9', text: null, attachments: [file({ type: 'template', title: 'Croissant' })] }),
  message({
    id: 'k10',
    text: 'Love this!',
    attachments: [file({ type: 'story_reply', url: '/api/media/a6', mime_type: 'image/png' })],
  }),
  message({
    id: 'k11',
    text: null,
    attachments: [
      file({ type: 'ig_reel', url: '/api/media/a7', mime_type: 'video/mp4', title: 'Our croissants' }),
    ],
  }),
  message({ id: 'k12', text: null, attachments: [file({ type: 'video', status: 'pending' })] }),
  message({ id: 'k13', text: 'see this', attachments: [file({ status: 'unavailable' })] }),
  message({ id: 'k14', text: 'Red please', payload: 'COLOR_RED' }),
  message({ id: 'k15', text: 'About that', reply_to: { mid: 'mid.1', text: 'Hello' } }),
  message({ id: 'k16', text: null, unsupported: true }),
  message({ id: 'k17', text: null, deleted: true }),
  message({ id: 'k18', text: 'Is anyone there?', standby: true }),
].map((m, i, all) => ({ ...m, sent_at: minutesAgo(all.length - i) }));

describe('every kind of message', () => {
  test('each is shown for what it is, none as nothing', async () => {
    const c = conversation({
      id: 'c1',
      referral: { source: 'SHORTLINK', type: 'OPEN_THREAD', ref: 'qr-counter', ad_id: null, ad_title: null },
      handled_by_another_app: true,
    });
    stubApi(inboxRoutes({ conversations: [c], threads: { c1: [...kinds].reverse() } }));
    renderApp('/inbox/c1');
    const log = await screen.findByRole('log');
    await within(log).findByText('Is anyone there?');
    const items = within(log).getAllByRole('listitem');
    expect(items).toHaveLength(kinds.length);

    expect(screen.getByText('Came from m.me / ig.me link (ref qr-counter)')).toBeTruthy();
    expect(screen.getByText(/Another app is handling this conversation/)).toBeTruthy();
    expect(within(items[0]!).getByText('From Ad: Spring sale')).toBeTruthy();
    expect(within(items[0]!).getByText('Edited')).toBeTruthy();
    expect(within(items[0]!).getByRole('img', { name: 'Reacted ❤️' })).toBeTruthy();
    expect(within(items[1]!).getByRole('img', { name: 'Image' }).getAttribute('src')).toBe('/api/media/a1');
    expect(items[2]!.querySelector('video')?.getAttribute('src')).toBe('/api/media/a2');
    expect(items[3]!.querySelector('audio')?.getAttribute('src')).toBe('/api/media/a3');
    const pdf = within(items[4]!).getByRole('link', { name: /invoice\.pdf/ });
    expect(pdf.getAttribute('href')).toBe('/api/media/a4');
    expect(pdf.textContent).toContain('2 KB');
    expect(within(items[5]!).getByRole('img', { name: 'Sticker' })).toBeTruthy();
    expect(
      within(items[6]!)
        .getByRole('link', { name: /Bakery/ })
        .getAttribute('href'),
    ).toContain('mlat=48.85');
    expect(
      within(items[7]!)
        .getByRole('link', { name: /Our menu/ })
        .getAttribute('href'),
    ).toBe('https://example.com/menu');
    expect(within(items[8]!).getByText('Croissant')).toBeTruthy();
    expect(within(items[9]!).getByText('Replied to your story')).toBeTruthy();
    expect(within(items[9]!).getByRole('img', { name: 'Story' }).getAttribute('src')).toBe('/api/media/a6');
    expect(within(items[9]!).getByText('Love this!')).toBeTruthy();
    expect(items[10]!.querySelector('video')?.getAttribute('aria-label')).toBe('Reel: Our croissants');
    expect(within(items[11]!).getByText('Video (downloading…)')).toBeTruthy();
    expect(within(items[12]!).getByText('Image: media no longer available')).toBeTruthy();
    expect(within(items[12]!).getByText('see this')).toBeTruthy();
    expect(within(items[13]!).getByText('COLOR_RED')).toBeTruthy();
    expect(within(items[14]!).getByText('Hello', { selector: 'blockquote' })).toBeTruthy();
    expect(within(items[15]!).getByText(/can't be shown here/)).toBeTruthy();
    expect(within(items[16]!).getByText('Message unsent')).toBeTruthy();
    expect(within(items[17]!).getByText(/another app handled this conversation/)).toBeTruthy();
  });
});
