// Latency samples → the percentiles the report prints. Samples are kept whole (every run is bounded in
// count), sorted once, and read by nearest rank, so p99 of 2,000 samples is the 1,980th value — no
// bucketing error to explain.
export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function summarize(samples: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  const n = sorted.length;
  if (n === 0) return { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  let sum = 0;
  for (const v of sorted) sum += v;
  const rank = (p: number) => sorted[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))]!;
  return {
    count: n,
    mean: round(sum / n),
    p50: round(rank(50)),
    p90: round(rank(90)),
    p99: round(rank(99)),
    max: round(sorted[n - 1]!),
  };
}

export const median = (values: number[]) => summarize(values).p50;

/** Two decimals: enough for milliseconds, short in JSON. */
export const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;
