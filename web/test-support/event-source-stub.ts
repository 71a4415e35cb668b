// The live stream's stand-in: jsdom has no EventSource, so tests install this tiny fake with
// vi.stubGlobal and play the server, opening the stream, sending LiveEvents (as the server writes them:
// the event named by its type, data its JSON) and dropping the connection.
import { act, waitFor } from '@testing-library/react';
import { vi } from 'vitest';
import type { LiveEvent } from '../api/contract.ts';

class FakeEventSource extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static instances: FakeEventSource[] = [];

  readonly url: string;
  readyState = FakeEventSource.CONNECTING;
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;

  constructor(url: string | URL) {
    super();
    this.url = String(url);
    FakeEventSource.instances.push(this);
  }

  close(): void {
    this.readyState = FakeEventSource.CLOSED;
  }
}

export type LiveStream = {
  /** Every EventSource the page created, oldest first. */
  readonly sources: FakeEventSource[];
  /**
   * The connection is established (the first time, or again after `drop`), once the page has created
   * its EventSource: pages create it in an effect, which may run after what the test waited for.
   */
  open: () => Promise<void>;
  /** The server sends one event. */
  send: (event: LiveEvent) => void;
  /** The connection breaks; the browser will retry (call `open` for the retry to succeed). */
  drop: () => void;
};

export function stubEventSource(): LiveStream {
  FakeEventSource.instances = [];
  vi.stubGlobal('EventSource', FakeEventSource);
  const current = () => {
    const source = FakeEventSource.instances.at(-1);
    if (!source || source.readyState === FakeEventSource.CLOSED) throw new Error('No open EventSource');
    return source;
  };
  return {
    get sources() {
      return FakeEventSource.instances;
    },
    open: async () => {
      await waitFor(current);
      act(() => {
        const source = current();
        source.readyState = FakeEventSource.OPEN;
        source.onopen?.(new Event('open'));
      });
    },
    send: (event) =>
      act(() => {
        current().dispatchEvent(new MessageEvent(event.type, { data: JSON.stringify(event) }));
      }),
    drop: () =>
      act(() => {
        const source = current();
        source.readyState = FakeEventSource.CONNECTING;
        source.onerror?.(new Event('error'));
      }),
  };
}
