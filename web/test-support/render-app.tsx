// Renders the whole app at a URL, as the browser would load it: routing, the session check and lazy
// routes all run. Call `resetTestEnvironment` in afterEach.
import { cleanup, configure, render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { vi } from 'vitest';
import { App } from '../app.tsx';
import { forgetSavedReplies } from '../inbox/use-saved-replies.ts';
import { assertNoUnstubbedRequests } from './fetch-stub.ts';

// The first test of a file also waits for vitest to transform the lazy Inbox or Settings chunk, which
// can take over a second on a cold, busy machine; findBy… waits up to 3 s rather than the default 1 s.
configure({ asyncUtilTimeout: 3_000 });

export function renderApp(url: string) {
  window.history.replaceState(null, '', url);
  const user = userEvent.setup();
  return { user, ...render(<App />) };
}

export function resetTestEnvironment(): void {
  cleanup();
  vi.unstubAllGlobals();
  window.history.replaceState(null, '', '/');
  localStorage.clear();
  sessionStorage.clear();
  forgetSavedReplies();
  assertNoUnstubbedRequests();
}

/** Replaces `window.location.assign` (the jump to Facebook) with a spy; the rest of location stays real. */
export function stubLocationAssign() {
  const real = window.location;
  const assign = vi.fn<(url: string) => void>();
  vi.stubGlobal(
    'location',
    new Proxy(
      {},
      {
        get(_, property) {
          if (property === 'assign') return assign;
          const value = Reflect.get(real, property);
          return typeof value === 'function' ? value.bind(real) : value;
        },
      },
    ),
  );
  return assign;
}

/** The text of the elements an element's aria-describedby points at (what a screen reader adds). */
export function descriptionOf(element: HTMLElement): string {
  const ids = element.getAttribute('aria-describedby')?.split(/\s+/) ?? [];
  return ids
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ')
    .trim();
}
