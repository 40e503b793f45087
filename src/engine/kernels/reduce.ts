// Reductions along one axis of a row-major array seen as [outer, dim, inner];
// the output is [outer, inner]. A full reduction is outer = inner = 1.

export interface AxisLayout {
  outer: number;
  dim: number;
  inner: number;
}

export function sumAxis(x: Float32Array, { outer, dim, inner }: AxisLayout, out: Float32Array): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let s = 0;
      for (let d = 0, at = o * dim * inner + i; d < dim; d++, at += inner) s += x[at];
      out[o * inner + i] = s;
    }
  }
}

/** dx[o, d, i] += scale · g[o, i]: the gradient of sum (scale 1) and mean (scale 1/dim). */
export function spreadAxisGrad(g: Float32Array, { outer, dim, inner }: AxisLayout, scale: number, dx: Float32Array): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const v = scale * g[o * inner + i];
      for (let d = 0, at = o * dim * inner + i; d < dim; d++, at += inner) dx[at] += v;
    }
  }
}

/** Maximum and the index (along the axis) of its first occurrence, as torch.max(dim) returns. */
export function maxAxis(x: Float32Array, { outer, dim, inner }: AxisLayout, out: Float32Array, index: Int32Array): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const start = o * dim * inner + i;
      let best = x[start];
      let bestD = 0;
      for (let d = 1, at = start + inner; d < dim; d++, at += inner) {
        const v = x[at];
        if (v > best) {
          best = v;
          bestD = d;
        }
      }
      out[o * inner + i] = best;
      index[o * inner + i] = bestD;
    }
  }
}

/** dx[o, index[o, i], i] += g[o, i]: max routes its gradient to the winning element. */
export function maxAxisGrad(g: Float32Array, index: Int32Array, { dim, inner, outer }: AxisLayout, dx: Float32Array): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const j = o * inner + i;
      dx[(o * dim + index[j]) * inner + i] += g[j];
    }
  }
}

/** Σ x², each square a float32 product, summed in float64 (a gradient norm's square). */
export function sumOfSquares(x: Float32Array): number {
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 1 < x.length; i += 2) {
    s0 += Math.fround(x[i] * x[i]);
    s1 += Math.fround(x[i + 1] * x[i + 1]);
  }
  if (i < x.length) s0 += Math.fround(x[i] * x[i]);
  return s0 + s1;
}

/** Σ (a − b)², each difference and square a float32 operation, summed in float64 (how far a step moved a parameter). */
export function sumOfSquaredDifferences(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`sumOfSquaredDifferences: lengths ${a.length} and ${b.length} differ`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.fround(a[i] - b[i]);
    sum += Math.fround(d * d);
  }
  return sum;
}
