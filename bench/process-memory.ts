// Resident memory of another process, from /proc (Linux): VmRSS now and VmHWM, the peak since start.
import { readFileSync } from 'node:fs';

export interface Memory {
  rssMb: number;
  peakMb: number;
}

export function processMemory(pid: number): Memory | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rssMb: Math.round(kb('VmRSS') / 102.4) / 10, peakMb: Math.round(kb('VmHWM') / 102.4) / 10 };
  } catch {
    return null;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; reports the highest value seen. */
export function sampleMemory(pid: number, everyMs = 100) {
  let max = 0;
  const take = () => {
    const m = processMemory(pid);
    if (m) max = Math.max(max, m.rssMb);
  };
  take();
  const timer = setInterval(take, everyMs);
  timer.unref();
  return {
    stop(): number {
      clearInterval(timer);
      take();
      return max;
    },
  };
}
