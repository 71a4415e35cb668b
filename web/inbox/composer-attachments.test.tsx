// Issue 13: the composer takes a file by button, drag and drop or paste, previews it, shows the
// upload's progress, keeps it with Retry after a failure; and with Human Agent says which window applies.
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { apiError, type Routes, stubApi } from '../test-support/fetch-stub.ts';
import { conversation, message, minutesAgo } from '../test-support/fixtures.ts';
import { inboxRoutes } from '../test-support/inbox.ts';
import { renderApp, resetTestEnvironment } from '../test-support/render-app.tsx';

/** XMLHttpRequest as the upload sees it: every request is kept, the test answers it. */
class FakeXhr {
  static last: FakeXhr | null = null;
  upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } =
    {
      onprogress: null,
    };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  status = 0;
  responseText = '';
  withCredentials = false;
  headers: Record<string, string> = {};
  url = '';
  body: FormData | null = null;
  open(_method: string, url: string) {
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: FormData) {
    this.body = body;
    FakeXhr.last = this;
  }
  answer(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

afterEach(() => {
  vi.unstubAllGlobals();
  resetTestEnvironment();
});

const thread = { c1: [message({ id: 'm1', text: 'Photo please' })] };
const png = () => new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'cake.png', { type: 'image/png' });

async function openThread(
  over: Parameters<typeof inboxRoutes>[0] = { conversations: [conversation({ id: 'c1' })], threads: thread },
  extra: Routes = {},
) {
  vi.stubGlobal('XMLHttpRequest', FakeXhr);
  vi.stubGlobal(
    'URL',
    Object.assign(URL, { createObjectURL: () => 'blob:preview', revokeObjectURL: () => {} }),
  );
  stubApi({ ...inboxRoutes(over), ...extra });
  const view = renderApp('/inbox/c1');
  await within(await screen.findByRole('log')).findByText('Photo please');
  return view;
}

describe('attachments in the composer', () => {
  test('a file chosen with the button is previewed, uploads with progress and its caption, then clears', async () => {
    const { user } = await openThread();
    const input = document.querySelector('input[type=file]') as HTMLInputElement;
    await user.upload(input, png());
    expect(screen.getByRole('img', { name: 'Preview of cake.png' }).getAttribute('src')).toBe('blob:preview');
    await user.type(screen.getByLabelText('Reply'), 'Here it is');
    await user.click(screen.getByRole('button', { name: 'Send' }));
    const xhr = FakeXhr.last!;
    expect(xhr.url).toBe('/api/conversations/c1/attachments');
    expect(xhr.headers['X-Parley-Upload']).toBe('1');
    expect((xhr.body!.get('file') as File).name).toBe('cake.png');
    expect(xhr.body!.get('text')).toBe('Here it is');
    act(() => xhr.upload.onprogress?.({ lengthComputable: true, loaded: 50, total: 100 }));
    expect((screen.getByLabelText('Uploading cake.png') as HTMLProgressElement).value).toBe(0.5);
    act(() => xhr.answer(201, { message: message({ id: 'm2', direction: 'outbound', text: null }) }));
    await waitFor(() => expect(screen.queryByText(/cake\.png/)).toBeNull());
    expect((screen.getByLabelText('Reply') as HTMLTextAreaElement).value).toBe('');
  });

  test('dropped or pasted; a failed upload keeps the file and offers Retry', async () => {
    const { user } = await openThread();
    const form = screen.getByLabelText('Reply').closest('form')!;
    fireEvent.drop(form, { dataTransfer: { files: [png()] } });
    expect(screen.getByText('cake.png')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Send' }));
    act(() =>
      FakeXhr.last!.answer(502, {
        error: { code: 'meta_unavailable', message: 'Meta did not answer; try again in a moment' },
      }),
    );
    expect((await screen.findByRole('alert')).textContent).toContain('Meta did not answer');
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    act(() => FakeXhr.last!.answer(201, { message: message({ id: 'm3', direction: 'outbound' }) }));
    await waitFor(() => expect(screen.queryByText('cake.png')).toBeNull());

    const pasted = new File(['%PDF-1.4'], 'menu.pdf', { type: 'application/pdf' });
    fireEvent.paste(screen.getByLabelText('Reply'), { clipboardData: { files: [pasted] } });
    expect(screen.getByText('menu.pdf')).toBeTruthy();
    // No preview: the tile names the extension, or the kind; never the long "application".
    const tile = () => document.querySelector('.attachment-draft__icon')?.textContent;
    expect(tile()).toBe('pdf');
    await user.click(screen.getByRole('button', { name: 'Remove menu.pdf' }));
    expect(screen.queryByText('menu.pdf')).toBeNull();
    const bare = new File(['data'], 'LICENSE', { type: 'application/octet-stream' });
    fireEvent.paste(screen.getByLabelText('Reply'), { clipboardData: { files: [bare] } });
    expect(tile()).toBe('file');
  });

  test('a file sent with the text of a failed reply as its caption clears the "not sent" alert', async () => {
    const { user } = await openThread(undefined, {
      'POST /api/conversations/c1/messages': () =>
        apiError(502, 'meta_unavailable', 'Meta could not be reached or is busy'),
    });
    await user.type(screen.getByLabelText('Reply'), 'Here is the menu');
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect((await screen.findByRole('alert')).textContent).toContain('its text is back in the box');

    fireEvent.drop(screen.getByLabelText('Reply').closest('form')!, { dataTransfer: { files: [png()] } });
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(FakeXhr.last!.body!.get('text')).toBe('Here is the menu');
    act(() => FakeXhr.last!.answer(201, { message: message({ id: 'm4', direction: 'outbound' }) }));
    await waitFor(() => expect(screen.queryByText('cake.png')).toBeNull());
    expect(screen.queryByText(/its text is back in the box/)).toBeNull();
  });

  test.each([
    [413, 'file_too_large', 'This file is larger than 8 MB, the most this channel accepts'],
    [415, 'unsupported_media_type', 'Messenger cannot carry this type of file (application/x-msdownload)'],
  ])(
    'a file refused with %i offers no Retry, and Send does not upload it again',
    async (status, code, text) => {
      const { user } = await openThread();
      fireEvent.drop(screen.getByLabelText('Reply').closest('form')!, { dataTransfer: { files: [png()] } });
      await user.click(screen.getByRole('button', { name: 'Send' }));
      const refused = FakeXhr.last!;
      act(() => refused.answer(status, { error: { code, message: text } }));
      expect((await screen.findByRole('alert')).textContent).toBe(
        `Not sent: ${text}. Remove it, or attach another file.`,
      );
      expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
      await user.click(screen.getByRole('button', { name: 'Send' }));
      expect(FakeXhr.last).toBe(refused);
      // Another file takes its place and goes as usual.
      const pdf = new File(['%PDF-1.4'], 'menu.pdf', { type: 'application/pdf' });
      fireEvent.paste(screen.getByLabelText('Reply'), { clipboardData: { files: [pdf] } });
      expect(screen.queryByRole('alert')).toBeNull();
      await user.click(screen.getByRole('button', { name: 'Send' }));
      expect((FakeXhr.last!.body!.get('file') as File).name).toBe('menu.pdf');
    },
  );

  test('with Human Agent, two days after the last message the composer names that window and its time left', async () => {
    const last = minutesAgo(2 * 24 * 60);
    await openThread({
      conversations: [
        conversation({
          id: 'c1',
          window_expires_at: new Date(Date.parse(last) + 24 * 3_600_000).toISOString(),
        }),
      ],
      threads: thread,
      humanAgent: true,
    });
    expect((await screen.findByText(/Human Agent window/)).textContent).toMatch(/5 d|4 d|days?/);
    expect((screen.getByLabelText('Reply') as HTMLTextAreaElement).disabled).toBe(false);
  });
});
