// ModelSpec: the network as plain JSON data — an input shape and a list of named layers.
// The engine builds it (main/model), weights files store it, ONNX export walks it, the UI
// draws it. Parameters are named `<layer>.<param>`, as PyTorch's
// nn.Sequential(OrderedDict([(name, module), …])) names them.
import { MNIST_CLASSES, MNIST_PIXELS } from '../mnist';
import type { LayerSpec } from './layerKinds';

export interface ModelSpec {
  /** Shape of one example without the batch dimension: [784] (flat pixels) or [1, 28, 28] (an image, NCHW). */
  input: number[];
  layers: LayerSpec[];
}

/** The seed's `ANet`: l1 = Linear(784, hidden), ReLU, l2 = Linear(hidden, 10). */
export function mlpSpec(hidden: number): ModelSpec {
  return {
    input: [MNIST_PIXELS],
    layers: [
      { name: 'l1', type: 'linear', out: hidden, bias: true },
      { name: 'act', type: 'relu' },
      { name: 'l2', type: 'linear', out: MNIST_CLASSES, bias: true },
    ],
  };
}

export const DEFAULT_HIDDEN = 128;
export const DEFAULT_MODEL: Readonly<ModelSpec> = deepFreeze(mlpSpec(DEFAULT_HIDDEN));

/**
 * The hidden width when `spec` has the default model's shape (flat input, linear, an
 * activation, linear to the classes), else null: the settings panel edits that one number.
 */
export function mlpHidden(spec: ModelSpec): number | null {
  const [first, act, last] = spec.layers;
  if (spec.layers.length !== 3 || spec.input.length !== 1) return null;
  if (first.type !== 'linear' || act.type !== 'relu' || last.type !== 'linear') return null;
  return first.out;
}

/** The same spec with the default model's hidden width changed (null when it has not that shape). */
export function withMlpHidden(spec: ModelSpec, hidden: number): ModelSpec | null {
  if (mlpHidden(spec) === null) return null;
  return { ...spec, layers: spec.layers.map((layer, i) => (i === 0 && layer.type === 'linear' ? { ...layer, out: hidden } : layer)) };
}

/** Two specs describe the same network (key order does not matter). */
export function sameModel(a: ModelSpec, b: ModelSpec): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
