// Finite-difference gradient check in float32.
//
// The scalar probed is L = Σ output·u for a fixed random u, accumulated in doubles. Each input
// element is nudged by ±h; the difference quotient uses the float32 values actually stored
// (x+h rounds), so only the output's float32 rounding (~1e-7·|L|/h) and the O(h²) truncation
// remain. With h = 1e-2 both stay below 1e-4 for the smooth ops, far under the tolerance,
// while a wrong backward (a missing factor, a wrong sign, a dropped broadcast sum) is off by O(1).
import { Rng, Tensor } from '../../src/engine';

export interface GradcheckOptions {
  h?: number;
  rtol?: number;
  atol?: number;
  /** Check at most this many elements of each input (a seeded random sample); default all. */
  maxElements?: number;
  /**
   * The step for element `index` of input `input` given the default `h`: a smaller one where ±h would cross a point
   * where the function is not differentiable (a kink, a max-pool tie); 0 skips the element (it sits on one).
   */
  stepAt?: (input: number, index: number, h: number) => number;
}

/** Returns null when analytic and numeric gradients agree, else a description of the worst element. */
export function gradcheck(f: (inputs: Tensor[]) => Tensor, inputs: Tensor[], options: GradcheckOptions = {}): string | null {
  const { h: defaultH = 1e-2, rtol = 1e-2, atol = 1e-3, maxElements = Infinity, stepAt } = options;
  const rng = new Rng(1234);
  const probe = f(inputs);
  const u = Float64Array.from({ length: probe.size }, () => rng.next() * 2 - 1);
  const loss = (): number => {
    const out = f(inputs).data;
    let s = 0;
    for (let i = 0; i < out.length; i++) s += out[i] * u[i];
    return s;
  };

  for (const x of inputs) {
    x.requiresGrad = true;
    x.grad = null;
  }
  f(inputs).backward(Tensor.fromArray(u, probe.shape));

  for (const [k, x] of inputs.entries()) {
    const analytic = x.grad?.data;
    if (!analytic) return `input ${k}: no gradient`;
    for (const i of elementsToCheck(x.size, maxElements, rng)) {
      const h = stepAt ? stepAt(k, i, defaultH) : defaultH;
      if (!(h > 0)) continue;
      const original = x.data[i];
      x.data[i] = original + h;
      const up = x.data[i];
      const lossUp = loss();
      x.data[i] = original - h;
      const down = x.data[i];
      const lossDown = loss();
      x.data[i] = original;
      const numeric = (lossUp - lossDown) / (up - down);
      if (!(Math.abs(numeric - analytic[i]) <= atol + rtol * Math.abs(numeric))) {
        return `input ${k} element ${i}: analytic ${analytic[i]}, numeric ${numeric}`;
      }
    }
  }
  return null;
}

/** All indices below `size`, or `max` of them drawn without replacement. */
function elementsToCheck(size: number, max: number, rng: Rng): number[] {
  const all = Array.from({ length: size }, (_, i) => i);
  return size <= max ? all : rng.shuffle(all).slice(0, max);
}

/** Uniform values in [lo, hi) of the given shape. */
export function uniform(shape: number[], rng: Rng, lo = -1, hi = 1): Tensor {
  const t = Tensor.zeros(shape);
  for (let i = 0; i < t.size; i++) t.data[i] = lo + (hi - lo) * rng.next();
  return t;
}

/** Values whose magnitude is at least `gap` (away from kinks such as ReLU's at 0). */
export function awayFromZero(shape: number[], rng: Rng, gap = 0.1): Tensor {
  const t = uniform(shape, rng, gap, 1);
  for (let i = 0; i < t.size; i++) if (rng.next() < 0.5) t.data[i] = -t.data[i];
  return t;
}

/** Distinct values at least `spacing` apart in random order (so max has no near-ties). */
export function distinct(shape: number[], rng: Rng, spacing = 0.1): Tensor {
  const t = Tensor.zeros(shape);
  const order = rng.shuffle(Array.from({ length: t.size }, (_, i) => i));
  for (let i = 0; i < t.size; i++) t.data[i] = (order[i] - t.size / 2) * spacing;
  return t;
}
