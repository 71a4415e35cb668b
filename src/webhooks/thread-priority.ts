// The processor thread runs at a lower scheduling priority than the rest of the process (issue 15).
// Acknowledging a webhook is what Meta waits for; processing it can wait a moment. On a small machine
// the receiver's event loop, the processor thread and whatever else runs there (PostgreSQL, the load)
// share two cores, and at the same priority the processor took its full share in the middle of a burst:
// the receiver got less CPU, so its acks were slower and fewer. A thread with a higher nice value still
// gets every cycle nobody else wants, so a backlog drains at full speed once the burst is over.
//
// Linux only: setpriority(PRIO_PROCESS, tid) changes one thread, and raising one's own nice value needs
// no privilege. Elsewhere (or if /proc is missing) the thread keeps its priority.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** The processor thread's nice value (0 is the default; 19 the lowest priority). */
export const PROCESSOR_NICE = 10;

/** Sets the calling thread's nice value; returns its thread id, or null where that is not possible. */
export function niceThisThread(nice: number): number | null {
  if (process.platform !== 'linux') return null;
  try {
    // "<pid>/task/<tid>" for the thread that reads it.
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isSafeInteger(tid) || tid <= 0) return null;
    setPriority(tid, nice);
    return tid;
  } catch {
    return null;
  }
}
