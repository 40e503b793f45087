// The chain rule for one element of each input of an op, written with the numbers of this
// step (issue 27): `∂L/∂h[17] = ∂L/∂y[17] · relu′(h[17]) = 0.031 · 1 = 0.031`. The element is
// the one whose gradient is largest in size (so the numbers are not all zero). The value on the
// right is the gradient backward computed; the formula's numbers come from the forward values
// and the op's output gradient, so a reader can redo the arithmetic.
import type { LayerSpec } from '../../../shared/model/layerKinds';
import { formatValue as f, indexOf, type ChainRule } from '../../../shared/stepGraph';

export interface TensorSide {
  symbol: string;
  shape: readonly number[];
  values: Float32Array;
  /** Its gradient after backward, or null when none flows into it. */
  grad: Float32Array | null;
  /** Whether dim 0 is the batch (activations), left out of printed indices. */
  batched: boolean;
}

export interface OpContext {
  name: string;
  out: TensorSide;
  inputs: TensorSide[];
  layer: LayerSpec | null;
  label: number;
}

const d = (s: string): string => `∂L/∂${s}`;

function at(t: TensorSide, flat: number): string {
  return `[${indexOf(t.batched ? t.shape.slice(1) : t.shape, flat).join(', ')}]`;
}

function largest(grad: Float32Array): number {
  let best = 0;
  for (let i = 1; i < grad.length; i++) if (Math.abs(grad[i]) > Math.abs(grad[best])) best = i;
  return best;
}

/** A sum of products, the first `shown` terms written out. */
function sumText(terms: [number, number][], shown = 2): string {
  const head = terms.slice(0, shown).map(([a, b]) => `${f(a)}·${f(b)}`);
  return terms.length > shown ? `${head.join(' + ')} + … (${terms.length} terms)` : head.join(' + ');
}

type Rule = (c: OpContext) => ChainRule[];

/** For ops that act element by element: the local derivative read off as gx / g. */
function elementwise(derivative: string): Rule {
  return ({ out, inputs: [x] }) => {
    if (!x.grad || !out.grad) return [];
    const k = largest(x.grad);
    const local = out.grad[k] === 0 ? 0 : x.grad[k] / out.grad[k];
    return [
      {
        lhs: `${d(x.symbol)}${at(x, k)}`,
        formula: `${d(out.symbol)}${at(out, k)} · ${derivative}(${x.symbol}${at(x, k)})`,
        numbers: `${f(out.grad[k])} · ${f(local)}`,
        value: x.grad[k],
      },
    ];
  };
}

const relu: Rule = ({ out, inputs: [x] }) => {
  if (!x.grad || !out.grad) return [];
  const k = largest(x.grad);
  return [
    {
      lhs: `${d(x.symbol)}${at(x, k)}`,
      formula: `${d(out.symbol)}${at(out, k)} · relu′(${x.symbol}${at(x, k)})`,
      numbers: `${f(out.grad[k])} · ${x.values[k] > 0 ? 1 : 0}`,
      value: x.grad[k],
    },
  ];
};

/** y = x·Wᵀ + b for one row (batch 1): dx[j] = Σᵢ g[i]·W[i,j], dW[i,j] = g[i]·x[j], db[i] = g[i]. */
const linear: Rule = ({ out, inputs: [x, w, b] }) => {
  const g = out.grad;
  if (!g) return [];
  const [outF, inF] = w.shape;
  const rules: ChainRule[] = [];
  if (x.grad) {
    const j = largest(x.grad);
    const terms: [number, number][] = [];
    for (let i = 0; i < outF; i++) terms.push([g[i], w.values[i * inF + j]]);
    rules.push({ lhs: `${d(x.symbol)}${at(x, j)}`, formula: `Σᵢ ${d(out.symbol)}[i] · ${w.symbol}[i, ${j}]`, numbers: sumText(terms), value: x.grad[j] });
  }
  if (w.grad) {
    const k = largest(w.grad);
    const [i, j] = [Math.floor(k / inF), k % inF];
    rules.push({ lhs: `${d(w.symbol)}[${i}, ${j}]`, formula: `${d(out.symbol)}[${i}] · ${x.symbol}${at(x, j)}`, numbers: `${f(g[i])} · ${f(x.values[j])}`, value: w.grad[k] });
  }
  if (b?.grad) {
    const i = largest(b.grad);
    rules.push({ lhs: `${d(b.symbol)}[${i}]`, formula: `${d(out.symbol)}[${i}]`, numbers: f(g[i]), value: b.grad[i] });
  }
  return rules;
};

interface Window2d {
  kernel: number;
  stride: number;
  padding: number;
}

function windowOf(layer: LayerSpec | null): Window2d | null {
  if (!layer || !('kernel' in layer)) return null;
  return { kernel: layer.kernel, stride: layer.stride, padding: layer.padding };
}

/** Batch 1, [1, O, oH, oW] from [1, C, H, W]: the weight's gradient sums over every position of the output plane. */
const conv2d: Rule = ({ out, inputs: [x, w, b], layer }) => {
  const g = out.grad;
  const win = windowOf(layer);
  if (!g || !win) return [];
  const [, c, h, wd] = x.shape;
  const [, , oH, oW] = out.shape;
  const [, , kH, kW] = w.shape;
  const rules: ChainRule[] = [];
  if (w.grad) {
    const k = largest(w.grad);
    const [o, ci, i, j] = indexOf(w.shape, k);
    const terms: [number, number][] = [];
    for (let p = 0; p < oH; p++) {
      for (let q = 0; q < oW; q++) {
        const r = p * win.stride + i - win.padding;
        const s = q * win.stride + j - win.padding;
        if (r < 0 || r >= h || s < 0 || s >= wd) continue;
        const xv = x.values[(ci * h + r) * wd + s];
        if (xv !== 0) terms.push([g[(o * oH + p) * oW + q], xv]);
      }
    }
    rules.push({
      lhs: `${d(w.symbol)}[${o}, ${ci}, ${i}, ${j}]`,
      formula: `Σ_p,q ${d(out.symbol)}[${o}, p, q] · ${x.symbol}[${ci}, p${win.stride > 1 ? `·${win.stride}` : ''}+${i}−${win.padding}, q${win.stride > 1 ? `·${win.stride}` : ''}+${j}−${win.padding}]`,
      numbers: terms.length > 0 ? sumText(terms) : '0 (the input is zero under this weight everywhere)',
      value: w.grad[k],
    });
  }
  if (b?.grad) {
    const o = largest(b.grad);
    const plane = Array.from(g.subarray(o * oH * oW, (o + 1) * oH * oW));
    const head = plane.slice(0, 2).map(f).join(' + ');
    rules.push({ lhs: `${d(b.symbol)}[${o}]`, formula: `Σ_p,q ${d(out.symbol)}[${o}, p, q]`, numbers: `${head} + … (${plane.length} terms)`, value: b.grad[o] });
  }
  if (x.grad) {
    const k = largest(x.grad);
    rules.push({
      lhs: `${d(x.symbol)}${at(x, k)}`,
      formula: `Σ over the ${w.shape[0]} filters and the windows covering it of ${d(out.symbol)} · ${w.symbol}`,
      numbers: `(${w.shape[0] * kH * kW} terms at most; ${c} input channels)`,
      value: x.grad[k],
    });
  }
  return rules;
};

/** The gradient goes to the winner of each window: dx[k] = dy[j] when x[k] was the max of window j. */
const maxPool2d: Rule = ({ out, inputs: [x], layer }) => {
  const win = windowOf(layer);
  if (!x.grad || !out.grad || !win) return [];
  const k = largest(x.grad);
  const [, , h, wd] = x.shape;
  const [, , oH, oW] = out.shape;
  const plane = Math.floor(k / (h * wd));
  const r = Math.floor((k % (h * wd)) / wd);
  const s = k % wd;
  for (let p = 0; p < oH; p++) {
    for (let q = 0; q < oW; q++) {
      const r0 = p * win.stride - win.padding;
      const s0 = q * win.stride - win.padding;
      if (r < r0 || r >= r0 + win.kernel || s < s0 || s >= s0 + win.kernel) continue;
      const j = (plane * oH + p) * oW + q;
      if (out.values[j] !== x.values[k]) continue;
      return [
        {
          lhs: `${d(x.symbol)}${at(x, k)}`,
          formula: `${d(out.symbol)}${at(out, j)} (${x.symbol}${at(x, k)} = ${f(x.values[k])} is the largest in its ${win.kernel}×${win.kernel} window)`,
          numbers: f(out.grad[j]),
          value: x.grad[k],
        },
      ];
    }
  }
  return [];
};

const avgPool2d: Rule = ({ out, inputs: [x], layer }) => {
  const win = windowOf(layer);
  if (!x.grad || !out.grad || !win) return [];
  const k = largest(x.grad);
  return [
    {
      lhs: `${d(x.symbol)}${at(x, k)}`,
      formula: `Σ over the windows covering it of ${d(out.symbol)} / ${win.kernel * win.kernel}`,
      numbers: `(each window shares its gradient among ${win.kernel * win.kernel} inputs)`,
      value: x.grad[k],
    },
  ];
};

/** A view: the same element under another shape. */
const reshape: Rule = ({ out, inputs: [x] }) => {
  if (!x.grad || !out.grad) return [];
  const k = largest(x.grad);
  return [{ lhs: `${d(x.symbol)}${at(x, k)}`, formula: `${d(out.symbol)}${at(out, k)} (the same element, reshaped)`, numbers: f(out.grad[k]), value: x.grad[k] }];
};

/** Mean over a batch of 1: dz[k] = softmax(z)[k] − 1{k = label}, for the label and for the strongest other class. */
const crossEntropy: Rule = ({ out, inputs: [z], label }) => {
  if (!z.grad || !out.grad) return [];
  const zs = z.values;
  let max = -Infinity;
  for (const v of zs) max = Math.max(max, v);
  let sum = 0;
  for (const v of zs) sum += Math.exp(v - max);
  const p = (k: number): number => Math.exp(zs[k] - max) / sum;
  let other = label === 0 ? 1 : 0;
  for (let k = 0; k < zs.length; k++) if (k !== label && zs[k] > zs[other]) other = k;
  return [label, other].map((k) => ({
    lhs: `${d(z.symbol)}[${k}]`,
    formula: `softmax(${z.symbol})[${k}] − ${k === label ? 1 : 0}   (${k === label ? 'the true digit' : 'the strongest wrong digit'})`,
    numbers: `${f(p(k))} − ${k === label ? 1 : 0}`,
    value: z.grad![k],
  }));
};

/** Any other op: what its backward gave (its code is beside it). */
const generic: Rule = ({ name, out, inputs }) =>
  inputs
    .filter((x) => x.grad)
    .map((x) => {
      const k = largest(x.grad!);
      return { lhs: `${d(x.symbol)}${at(x, k)}`, formula: `${name}'s backward of ${d(out.symbol)}`, numbers: '(see its code)', value: x.grad![k] };
    });

const RULES: Record<string, Rule> = {
  relu,
  linear,
  conv2d,
  maxPool2d,
  avgPool2d,
  reshape,
  crossEntropy,
  leakyRelu: elementwise('leaky_relu′'),
  gelu: elementwise('gelu′'),
  elu: elementwise('elu′'),
  softplus: elementwise('softplus′'),
  tanh: elementwise('tanh′'),
  sigmoid: elementwise('sigmoid′'),
};

export function chainRules(context: OpContext): ChainRule[] {
  return (RULES[context.name] ?? generic)(context);
}
