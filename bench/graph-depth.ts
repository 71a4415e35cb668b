// Sequential depth of a set of Graph calls: how many round trips stood one after another. Calls that
// overlap count once. The emulator logs when each call started and holds every call for L ms, so a call
// that depended on another cannot start until ≥ L after it; calls started within L/2 of the first call
// of a wave ran side by side. Depth = number of such waves.
import type { CallRecord } from '../emulator/control-contract.ts';

export interface CallDepth {
  calls: number;
  sequential: number;
  /** Endpoint names per wave, e.g. [["oauth.code"], ["oauth.exchange"], ["me.accounts", "debug_token"]]. */
  waves: string[][];
}

export function callDepth(calls: Pick<CallRecord, 'at' | 'endpoint'>[], latencyMs: number): CallDepth {
  const sorted = [...calls].sort((a, b) => a.at - b.at);
  const waves: string[][] = [];
  let waveStart = Number.NEGATIVE_INFINITY;
  for (const call of sorted) {
    if (call.at - waveStart >= latencyMs / 2) {
      waves.push([]);
      waveStart = call.at;
    }
    waves.at(-1)!.push(call.endpoint);
  }
  return { calls: sorted.length, sequential: waves.length, waves };
}

/** A compact trace for the report: "oauth.code → oauth.exchange → me.accounts+debug_token". */
export const describeWaves = (waves: string[][], max = 8) => {
  const parts = waves.map((w) =>
    [...new Set(w)].map((e) => (count(w, e) > 1 ? `${e}×${count(w, e)}` : e)).join('+'),
  );
  return parts.length <= max
    ? parts.join(' → ')
    : `${parts.slice(0, max).join(' → ')} → … (${parts.length} waves)`;
};

const count = (list: string[], item: string) => list.filter((x) => x === item).length;
