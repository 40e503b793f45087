// Convolution a slice of the batch at a time (kernels/conv.ts forEachSlice): the forward pass
// and the input gradient are per sample, so a sliced batch gives each sample's results bit for
// bit as that sample alone does; the weight gradient is summed slice by slice within groups of
// samples and the groups then added (convPlan), so it is held to float64 truth within the bound
// float32 rounding allows for a sum of that many products.
import { describe, expect, test } from 'vitest';
import { COLS_SLICE_FLOATS, convPlan, convReference, convSliceSamples, evenCut, groupSliceCount, MAX_CONV_GROUPS, type ConvGeometry } from '../../src/engine/kernels/conv';
import { Rng } from '../../src/engine';
import { COLS_SLICE_FLOATS as ESTIMATE_SLICE_FLOATS } from '../../src/shared/model/convSlices';

function geometry(n: number, c: number, size: number, k: number, pad: number): ConvGeometry {
  const out = size + 2 * pad - k + 1;
  return { n, c, h: size, w: size, kH: k, kW: k, sH: 1, sW: 1, pH: pad, pW: pad, oH: out, oW: out };
}

const columnsPerSample = (g: ConvGeometry) => g.c * g.kH * g.kW * g.oH * g.oW;

interface Case {
  name: string;
  g: ConvGeometry;
  o: number;
  /** What the case is there for, checked against the slice size so a new size cannot leave it untested. */
  slicing: (samples: number, g: ConvGeometry) => void;
}

const cases: Case[] = [
  {
    // The cnn preset's second convolution at batch 32 (8 channels, 5×5, same padding on 14×14):
    // several samples per slice and a shorter last slice.
    name: 'cnn conv2 at batch 32',
    g: geometry(32, 8, 14, 5, 2),
    o: 16,
    slicing: (samples, g) => {
      expect(samples).toBeGreaterThan(1);
      expect(samples).toBeLessThan(g.n);
      expect(g.n % samples).not.toBe(0);
    },
  },
  {
    // 16 channels, 9×9 kernel, same padding on 28×28: 1296 × 784 columns per sample, more than a
    // slice holds, so each slice is the one sample ("at least one").
    name: 'one sample alone over the slice size (16 channels, 9×9, 6 samples)',
    g: geometry(6, 16, 28, 9, 4),
    o: 4,
    slicing: (samples, g) => {
      expect(columnsPerSample(g)).toBeGreaterThan(COLS_SLICE_FLOATS);
      expect(samples).toBe(1);
    },
  },
];

test('the groups cover every sample once, in order, as evenly as whole samples allow; their slices too, none over the slice size', () => {
  for (const n of [1, 2, 3, 7, 8, 9, 31, 32, 33, 256, 1000]) {
    for (const g of [geometry(n, 8, 14, 5, 2), geometry(n, 1, 28, 5, 2), geometry(n, 16, 28, 9, 4)]) {
      const plan = convPlan(g);
      expect(plan.slice).toBe(convSliceSamples(g));
      expect(plan.groups).toBe(Math.min(n, MAX_CONV_GROUPS));
      const sizes: number[] = [];
      let next = 0;
      for (let group = 0; group < plan.groups; group++) {
        const first = evenCut(0, n, plan.groups, group);
        const count = evenCut(0, n, plan.groups, group + 1) - first;
        expect(first).toBe(next);
        sizes.push(count);
        const slices = groupSliceCount(count, plan.slice);
        const sliceSizes: number[] = [];
        let at = first;
        for (let slice = 0; slice < slices; slice++) {
          const start = evenCut(first, count, slices, slice);
          const end = evenCut(first, count, slices, slice + 1);
          expect(start).toBe(at);
          expect(end - start).toBeGreaterThan(0);
          expect(end - start).toBeLessThanOrEqual(plan.slice);
          sliceSizes.push(end - start);
          at = end;
        }
        expect(at).toBe(first + count);
        // As few slices as the slice size allows, and as even as whole samples allow.
        expect(slices - 1).toBeLessThan(count / plan.slice);
        expect(Math.max(...sliceSizes) - Math.min(...sliceSizes)).toBeLessThanOrEqual(1);
        next += count;
      }
      expect(next).toBe(n);
      expect(Math.min(...sizes)).toBeGreaterThan(0);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  }
});

test("the app's estimate uses the engine's slice size", () => {
  expect(ESTIMATE_SLICE_FLOATS).toBe(COLS_SLICE_FLOATS);
});

for (const { name, g, o, slicing } of cases) {
  describe(`convolution in slices of the batch: ${name}`, () => {
    const rng = new Rng(11);
    const random = (length: number): Float32Array => Float32Array.from({ length }, () => rng.next() * 2 - 1);
    const x = random(g.n * g.c * g.h * g.w);
    const w = random(o * g.c * g.kH * g.kW);
    const bias = random(o);
    const p = g.oH * g.oW;
    const grad = random(g.n * o * p);
    const inSample = g.c * g.h * g.w;

    test('the batch is cut into more than one slice, as the case needs', () => {
      const samples = convSliceSamples(g);
      expect(samples * columnsPerSample(g) <= COLS_SLICE_FLOATS || samples === 1).toBe(true);
      expect(Math.ceil(g.n / samples)).toBeGreaterThan(1);
      slicing(samples, g);
    });

    test('forward and input gradient: every sample as it is alone, bit for bit', () => {
      const y = new Float32Array(g.n * o * p);
      convReference.forward(x, w, bias, g, o, y);
      const gx = new Float32Array(x.length);
      convReference.backward(x, w, grad, g, o, gx, null, null);
      const one = { ...g, n: 1 };
      for (let n = 0; n < g.n; n++) {
        const xs = x.slice(n * inSample, (n + 1) * inSample);
        const ys = new Float32Array(o * p);
        convReference.forward(xs, w, bias, one, o, ys);
        expect(Array.from(y.subarray(n * o * p, (n + 1) * o * p))).toEqual(Array.from(ys));
        const gxs = new Float32Array(inSample);
        convReference.backward(xs, w, grad.slice(n * o * p, (n + 1) * o * p), one, o, gxs, null, null);
        expect(Array.from(gx.subarray(n * inSample, (n + 1) * inSample))).toEqual(Array.from(gxs));
      }
    });

    test('weight gradient: float64 truth within float32 rounding of a sum of N·P products', () => {
      const gw = new Float32Array(w.length);
      convReference.backward(x, w, grad, g, o, null, gw, null);
      // Truth and Σ|terms| in float64, straight from the definition.
      const terms = g.n * p;
      const u = 2 ** -24;
      // Each product rounds once and a sum of m terms in any order is off by at most γ_m·Σ|terms|.
      const gamma = ((terms + 1) * u) / (1 - (terms + 1) * u);
      let worst = 0;
      for (let oi = 0; oi < o; oi++) {
        for (let ci = 0; ci < g.c; ci++) {
          for (let ki = 0; ki < g.kH; ki++) {
            for (let kj = 0; kj < g.kW; kj++) {
              let sum = 0;
              let magnitude = 0;
              for (let n = 0; n < g.n; n++) {
                for (let oh = 0; oh < g.oH; oh++) {
                  const ih = oh + ki - g.pH;
                  if (ih < 0 || ih >= g.h) continue;
                  for (let ow = 0; ow < g.oW; ow++) {
                    const iw = ow + kj - g.pW;
                    if (iw < 0 || iw >= g.w) continue;
                    const term = grad[(n * o + oi) * p + oh * g.oW + ow] * x[((n * g.c + ci) * g.h + ih) * g.w + iw];
                    sum += term;
                    magnitude += Math.abs(term);
                  }
                }
              }
              const i = ((oi * g.c + ci) * g.kH + ki) * g.kW + kj;
              const excess = Math.abs(gw[i] - sum) / (gamma * magnitude);
              worst = Math.max(worst, excess);
            }
          }
        }
      }
      expect(worst).toBeLessThanOrEqual(1);
    });
  });
}
