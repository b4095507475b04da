/**
 * Isotonic regression (pool adjacent violators) as scikit-learn's `IsotonicRegression(out_of_bounds="clip",
 * increasing=True)`, which NannyML's CBPE uses to calibrate: equal inputs are pooled first (weighted mean), the fit
 * is interpolated linearly between the fitted points and clipped outside them.
 */

export type Calibrator = (probability: number) => number;

export function fitIsotonic(x: ArrayLike<number>, y: ArrayLike<number>): Calibrator {
  const order = Array.from({ length: x.length }, (_, i) => i).sort((a, b) => x[a]! - x[b]!);
  const xs: number[] = [];
  const values: number[] = [];
  const weights: number[] = [];
  for (const i of order) {
    const last = xs.length - 1;
    if (last >= 0 && xs[last] === x[i]) {
      values[last] = (values[last]! * weights[last]! + y[i]!) / (weights[last]! + 1);
      weights[last]! += 1;
    } else {
      xs.push(x[i]!);
      values.push(y[i]!);
      weights.push(1);
    }
  }
  // Pool adjacent violators over blocks [start, end).
  const blockValue: number[] = [];
  const blockWeight: number[] = [];
  const blockEnd: number[] = [];
  for (let i = 0; i < xs.length; i += 1) {
    blockValue.push(values[i]!);
    blockWeight.push(weights[i]!);
    blockEnd.push(i + 1);
    while (blockValue.length > 1 && blockValue[blockValue.length - 2]! >= blockValue[blockValue.length - 1]!) {
      const v = blockValue.pop()!;
      const w = blockWeight.pop()!;
      const e = blockEnd.pop()!;
      const k = blockValue.length - 1;
      blockValue[k] = (blockValue[k]! * blockWeight[k]! + v * w) / (blockWeight[k]! + w);
      blockWeight[k]! += w;
      blockEnd[k] = e;
    }
  }
  const fitted = new Float64Array(xs.length);
  let start = 0;
  blockEnd.forEach((end, k) => {
    fitted.fill(blockValue[k]!, start, end);
    start = end;
  });
  return (p) => interpolate(xs, fitted, p);
}

function interpolate(xs: readonly number[], ys: Float64Array, p: number): number {
  const n = xs.length;
  if (n === 0) return p;
  if (p <= xs[0]!) return ys[0]!;
  if (p >= xs[n - 1]!) return ys[n - 1]!;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= p) lo = mid;
    else hi = mid;
  }
  const t = (p - xs[lo]!) / (xs[hi]! - xs[lo]!);
  return ys[lo]! + t * (ys[hi]! - ys[lo]!);
}
