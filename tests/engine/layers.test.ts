// Every case of tests/fixtures/layers.json (PyTorch 1.13): conv2d, pooling, flatten, the
// activations and batch norm in training mode. Forward values and the gradients of
// sum(output * upstream) for every input are held to PyTorch's float64 computation of the same
// case from the same float32 inputs (layers-float64.json), within what float32 rounding of that
// computation allows; and each case's own inputs pass a finite-difference check of our backward.
//
// Convolution: each output and gradient is a float32 sum of K products (up to 1,568: the weight
// gradient of conv2d_mnist_like, 2·28·28) that may cancel to a much smaller result, so it is held
// to 1e-5 of Σ|terms| (the same op on |inputs| and |upstream|), not of the result. A float32 sum
// of K terms is off by ~√K·ε·Σ|terms| whatever its order (K·ε at worst); 1e-5 is 168 ε, four
// times √1568·ε. A wrong index or factor is off by O(Σ|terms|).
//
// The other ops: within 4× PyTorch's own float32 error on that element plus 32 roundings of the
// tensor's largest value (expectWithinFloat32Spread). Max pool and flatten copy their inputs,
// the activations are one rounding each, the pools and batch norm sum a few to a few dozen terms.
import { describe, expect, it } from 'vitest';
import { avgPool2d, batchNorm, conv2d, elu, flatten, gelu, leakyRelu, maxPool2d, softplus, type Tensor } from '../../src/engine';
import { expectCloseToTerms, expectWithinFloat32Spread, readFixtureJson, tensorOf } from './fixtures';
import { gradcheck } from './gradcheck';

interface Arr {
  shape: number[];
  data: number[];
}
interface LayerCase {
  name: string;
  attrs: { stride?: number; padding?: number; bias?: boolean; kernel?: number; start_dim?: number; negative_slope?: number; eps?: number };
  inputs: Arr[];
  output: Arr;
  upstream: Arr;
  grads: Arr[];
}

type Apply = (x: Tensor[], attrs: LayerCase['attrs']) => Tensor;

// Case names are `<op>_<variant>`; each maps to the engine call PyTorch made.
const ops: [prefix: string, apply: Apply][] = [
  ['conv2d', ([x, w, b], { stride, padding }) => conv2d(x, w, b ?? null, { stride, padding })],
  ['max_pool2d', ([x], { kernel = 0, stride, padding }) => maxPool2d(x, kernel, { stride, padding })],
  ['avg_pool2d', ([x], { kernel = 0, stride, padding }) => avgPool2d(x, kernel, { stride, padding })],
  ['flatten', ([x], { start_dim }) => flatten(x, start_dim)],
  ['leaky_relu', ([x], { negative_slope }) => leakyRelu(x, negative_slope)],
  ['gelu', ([x]) => gelu(x)],
  ['elu', ([x]) => elu(x)],
  ['softplus', ([x]) => softplus(x)],
  ['batch_norm1d', ([x, w, b], { eps }) => batchNorm(x, null, null, w, b, { training: true, eps })],
  ['batch_norm2d', ([x, w, b], { eps }) => batchNorm(x, null, null, w, b, { training: true, eps })],
];

function applyFor(name: string): Apply {
  const found = ops.find(([prefix]) => name === prefix || name.startsWith(`${prefix}_`));
  if (!found) throw new Error(`layers.json case "${name}" has no engine mapping`);
  return found[1];
}

/** Runs a case on its inputs and upstream (mapped by `values`): the output and every input's gradient. */
function run(c: LayerCase, values: (a: Arr) => number[]): { output: Tensor; grads: Tensor[] } {
  const inputs = c.inputs.map((x) => tensorOf({ shape: x.shape, data: values(x) }, true));
  const output = applyFor(c.name)(inputs, c.attrs);
  output.backward(tensorOf({ shape: c.upstream.shape, data: values(c.upstream) }));
  return {
    output,
    grads: inputs.map((x, i) => {
      if (!x.grad) throw new Error(`${c.name}: no gradient for input ${i}`);
      return x.grad;
    }),
  };
}

const { cases } = readFixtureJson<{ cases: LayerCase[] }>('layers.json');
const cases64 = readFixtureJson<{ cases: Pick<LayerCase, 'name' | 'output' | 'grads'>[] }>('layers-float64.json').cases;

function float64Of(c: LayerCase): Pick<LayerCase, 'output' | 'grads'> {
  const found = cases64.find((c64) => c64.name === c.name);
  if (!found) throw new Error(`layers-float64.json has no case "${c.name}"`);
  return found;
}

/**
 * For each element of a max-pool input, how far it is from changing the outcome of a window it
 * is in: min over those windows of |x − the largest other value of the window|. A finite-difference
 * step below it moves the element without changing which one wins; 0 for an element in a tie.
 */
function maxPoolMargins(x: Arr, kernel: number, stride: number, padding: number): Float64Array {
  const [h, w] = x.shape.slice(-2);
  const planes = x.data.length / (h * w);
  const margins = new Float64Array(x.data.length).fill(Infinity);
  const [oh, ow] = [h, w].map((n) => Math.floor((n + 2 * padding - kernel) / stride) + 1);
  for (let p = 0; p < planes; p++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const window: number[] = [];
        for (let r = i * stride - padding; r < i * stride - padding + kernel; r++) {
          for (let c = j * stride - padding; c < j * stride - padding + kernel; c++) {
            if (r >= 0 && r < h && c >= 0 && c < w) window.push(p * h * w + r * w + c);
          }
        }
        for (const e of window) {
          const others = window.filter((o) => o !== e).map((o) => x.data[o]);
          if (others.length > 0) margins[e] = Math.min(margins[e], Math.abs(x.data[e] - Math.max(...others)));
        }
      }
    }
  }
  return margins;
}

/**
 * The finite-difference step for each element: ±h must not cross a point where the function is
 * not differentiable, or the difference quotient mixes two slopes (an input of 0.00175 with
 * h = 1e-2 straddles leaky_relu's kink). Halfway to it is enough: leaky_relu is linear on each
 * side and max pool copies its inputs, so a small step adds no error of its own.
 */
function stepAt(c: LayerCase): ((input: number, index: number, h: number) => number) | undefined {
  if (c.name.startsWith('leaky_relu')) return (_, i, h) => Math.min(h, Math.abs(c.inputs[0].data[i]) / 2);
  if (c.name.startsWith('max_pool')) {
    const { kernel = 0, stride = kernel, padding = 0 } = c.attrs;
    const margins = maxPoolMargins(c.inputs[0], kernel, stride, padding);
    return (_, i, h) => Math.min(h, margins[i] / 2);
  }
  return undefined;
}

describe('layers match PyTorch (tests/fixtures/layers.json)', () => {
  it('has all 17 cases', () => {
    expect(cases).toHaveLength(17);
  });

  for (const c of cases) {
    it(`${c.name}: forward and gradients`, () => {
      const { output, grads } = run(c, (a) => a.data);
      expect(output.shape).toEqual(c.output.shape);
      grads.forEach((grad, i) => expect(grad.shape, `${c.name} grad ${i}`).toEqual(c.grads[i].shape));
      const actual = [output, ...grads].map((t) => t.data);
      const torch32 = [c.output, ...c.grads].map((a) => a.data);
      const exact = float64Of(c);
      const truth = [exact.output, ...exact.grads].map((a) => a.data);
      const what = ['forward', ...grads.map((_, i) => `grad of input ${i}`)];
      if (c.name.startsWith('conv2d')) {
        // The same op on |inputs| and |upstream| gives Σ|terms| of every output and gradient.
        const terms = run(c, (a) => a.data.map(Math.abs));
        const magnitude = [terms.output, ...terms.grads].map((t) => t.data);
        actual.forEach((a, k) => expectCloseToTerms(a, truth[k], magnitude[k], `${c.name} ${what[k]}`, 1e-5, 0));
      } else {
        actual.forEach((a, k) => expectWithinFloat32Spread(a, truth[k], [torch32[k]], `${c.name} ${what[k]}`));
      }
    });

    it(`${c.name}: finite-difference check`, () => {
      const inputs = c.inputs.map((x) => tensorOf(x));
      expect(gradcheck((xs) => applyFor(c.name)(xs, c.attrs), inputs, { maxElements: 300, stepAt: stepAt(c) })).toBeNull();
    });
  }
});
