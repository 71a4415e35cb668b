// A target judged by the run: what was promised, what was measured, and whether it holds. Every target
// sits in latest.json beside the figures it judges, as `{target, measured, met}`.
export interface Target {
  target: string;
  measured: string;
  met: boolean;
  /** Why a figure is missing or how to read it (e.g. "not measured in BENCH_QUICK"). */
  note?: string;
}

export function judge(target: string, measured: string, met: boolean, note?: string): Target {
  return note ? { target, measured, met, note } : { target, measured, met };
}

/** Every Target found anywhere in a results object, in document order. */
export function collectTargets(value: unknown, path: string[] = [], out: Array<[string, Target]> = []) {
  if (isTarget(value)) {
    out.push([path.join('.'), value]);
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) collectTargets(v, [...path, String(i)], out);
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) collectTargets(v, [...path, k], out);
  }
  return out;
}

function isTarget(value: unknown): value is Target {
  return (
    typeof value === 'object' &&
    value !== null &&
    'target' in value &&
    'measured' in value &&
    'met' in value &&
    typeof (value as Target).met === 'boolean'
  );
}
