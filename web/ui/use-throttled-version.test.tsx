import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { useThrottledVersion } from './use-throttled-version.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('useThrottledVersion', () => {
  test('calls closer together than the interval still move the version once per interval', () => {
    const { result } = renderHook(() => useThrottledVersion(1000));
    expect(result.current[0]).toBe(0);
    // A change every 200 ms for 3 s: a debounce would never have fired.
    for (let t = 0; t < 3000; t += 200) {
      act(() => {
        result.current[1]();
        vi.advanceTimersByTime(200);
      });
    }
    expect(result.current[0]).toBe(3);
  });

  test('a single call moves it once, after the interval; no call, no move', () => {
    const { result } = renderHook(() => useThrottledVersion(300));
    act(() => result.current[1]());
    act(() => vi.advanceTimersByTime(299));
    expect(result.current[0]).toBe(0);
    act(() => vi.advanceTimersByTime(1));
    expect(result.current[0]).toBe(1);
    act(() => vi.advanceTimersByTime(5000));
    expect(result.current[0]).toBe(1);
  });
});
