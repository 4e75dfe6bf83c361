/** Summaries of repeated measurements: the median is the figure, min–max is the noise. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  n: number;
  /** (max − min) / median: how far apart the runs were, relative to the figure. */
  spread: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarize(values: readonly number[]): Summary {
  const m = median(values);
  const min = Math.min(...values);
  const max = Math.max(...values);
  return { median: m, min, max, n: values.length, spread: m === 0 ? 0 : (max - min) / Math.abs(m) };
}

/** Element-wise a[i] / b[i] for paired runs (measured back to back). */
export function pairedRatios(a: readonly number[], b: readonly number[]): number[] {
  return a.map((x, i) => x / b[i]!);
}
