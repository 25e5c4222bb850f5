/** Small statistics for repeated measurements. */

/** The spread of repeated measurements. */
export interface Spread {
  min: number;
  median: number;
  max: number;
  runs: number[];
}

/** Returns min, median (the mean of the middle two for an even count) and max of `values`. */
export function spread(values: number[]): Spread {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length === 0 ? NaN : s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { min: s[0] ?? NaN, median, max: s[s.length - 1] ?? NaN, runs: values };
}

/** A figure against its target: `atLeast` for throughput ratios, `atMost` for memory and latency. */
export interface Verdict {
  value: number;
  target: number;
  kind: 'atLeast' | 'atMost';
  met: boolean;
}

/** Returns the verdict of `value` against `target`. */
export function verdict(value: number, target: number, kind: Verdict['kind']): Verdict {
  return { value, target, kind, met: kind === 'atLeast' ? value >= target : value <= target };
}
