// A user-triggered API write (a submit or a button). While it runs `busy` is true, so the button can
// show progress, and a second click is ignored rather than sent twice. The outcome comes back as a
// value, so the caller can branch on it at once; the error also stays in `error` for display.
import { useCallback, useRef, useState } from 'react';
import { ApiError } from './api-error.ts';

export type ActionResult<R> = { ok: true; value: R } | { ok: false; error: ApiError | null };

export type Action<Args extends unknown[], R> = {
  run: (...args: Args) => Promise<ActionResult<R>>;
  busy: boolean;
  error: ApiError | null;
  clearError: () => void;
};

export function useAction<Args extends unknown[], R>(
  perform: (...args: Args) => Promise<R>,
): Action<Args, R> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  // A ref, not the state: two clicks in the same frame both see `busy === false`.
  const running = useRef(false);

  const run = useCallback(
    async (...args: Args): Promise<ActionResult<R>> => {
      // `error: null` = ignored because a previous run is still going; nothing to show.
      if (running.current) return { ok: false, error: null };
      running.current = true;
      setBusy(true);
      setError(null);
      try {
        return { ok: true, value: await perform(...args) };
      } catch (thrown) {
        const apiError = ApiError.from(thrown);
        setError(apiError);
        return { ok: false, error: apiError };
      } finally {
        running.current = false;
        setBusy(false);
      }
    },
    [perform],
  );

  const clearError = useCallback(() => setError(null), []);
  return { run, busy, error, clearError };
}
