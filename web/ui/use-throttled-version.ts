// A version number to ask the server again by: `bump()` moves it once at the end of an interval that
// the first call starts, however often it is called meanwhile (a trailing throttle). A debounce, a timer
// restarted on every call, never fires while calls keep coming closer together than its delay: on a
// busy inbox the counts it guards would stop updating for as long as the busy spell lasts.
import { useCallback, useEffect, useRef, useState } from 'react';

export function useThrottledVersion(intervalMs: number): [version: number, bump: () => void] {
  const [version, setVersion] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  const bump = useCallback(() => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      setVersion((n) => n + 1);
    }, intervalMs);
  }, [intervalMs]);
  return [version, bump];
}
