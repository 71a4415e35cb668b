import { useEffect, useState } from 'react';

/**
 * The current time, re-read every `intervalMs` and once more at `alsoAt` (e.g. the moment a window
 * closes), so relative times and countdowns move on without each screen running its own timer logic.
 */
export function useNow(intervalMs = 60_000, alsoAt?: number | null): number {
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);

  useEffect(() => {
    if (alsoAt == null) return;
    const delay = alsoAt - Date.now();
    // setTimeout overflows above ~24.8 days; the interval covers anything that far away anyway.
    if (delay <= 0 || delay > 2 ** 31 - 1) return;
    const timer = setTimeout(() => setNow(Date.now()), delay + 50);
    return () => clearTimeout(timer);
  }, [alsoAt]);

  return now;
}
