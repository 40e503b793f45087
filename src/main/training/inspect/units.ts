// One hidden unit or conv filter over the whole test set: which layers have units to inspect,
// what a unit's "activation" for an image is, its top and bottom images, its activation
// histogram, its weights and its votes for each digit.
//
// A unit's activation is what the next layer receives from it: the layer's output after the
// activation (and norm, dropout) layers that follow it. For a conv filter it is the largest
// value of its feature map (after the activation): "how strongly the pattern occurs anywhere".
import { stepScope, Tensor } from '../../../engine';
import { MNIST_CLASSES, MNIST_PIXELS, type MnistSet } from '../../../engine/data/mnist';
import { fillPixels } from '../../../engine/data/batch';
import { HISTOGRAM_BINS, UNIT_IMAGES, type UnitHistogram, type UnitImage, type UnitInspection, type UnitLayer } from '../../../shared/inspect';
import type { ModelInfo } from '../../../shared/model/describe';
import type { ModelSpec } from '../../../shared/model/spec';
import { sizeOf } from '../../../shared/model/shape';

export { unitLayers, type UnitLayer } from '../../../shared/inspect';

/** Examples per forward pass: a conv layer's maps for 250 images stay within tens of MB. */
const CHUNK = 250;
/** Every unit's activation for every test image, unit-major ([units × count]), and the guesses. */
export interface LayerActivations {
  layer: UnitLayer;
  count: number;
  values: Float32Array;
  /** The layer's own output before its activation (a filter: the largest of its map), to order equal activations. */
  before: Float32Array;
  predicted: Uint8Array;
}

interface Forward {
  forwardAll(x: Tensor): Tensor[];
}

/**
 * The model (in evaluation mode, without gradients) over the test set, keeping `layer`'s activations.
 * `checkpoint` is called before each chunk (it throws to stop: the request was called off).
 */
export function layerActivations(model: Forward, test: MnistSet, layer: UnitLayer, checkpoint: () => void = () => undefined): LayerActivations {
  const count = test.count;
  const units = layer.units;
  const values = new Float32Array(units * count);
  const before = new Float32Array(units * count);
  const predicted = new Uint8Array(count);
  const pixels = new Float32Array(CHUNK * MNIST_PIXELS);
  // One step scope per chunk, as the evaluation does: the activations live in the training steps' arena (the WASM
  // kernels read it in place) and everything kept is copied out before the scope ends.
  for (let start = 0; start < count; start += CHUNK) {
    checkpoint();
    stepScope(() => {
      const size = Math.min(CHUNK, count - start);
      fillPixels(
        test,
        Int32Array.from({ length: size }, (_, i) => start + i),
        pixels,
      );
      const outputs = model.forwardAll(new Tensor(pixels.slice(0, size * MNIST_PIXELS), [size, MNIST_PIXELS]));
      readUnits(outputs[layer.readAt].data, size, units, start, count, values);
      readUnits(outputs[layer.index].data, size, units, start, count, before);
      const logits = outputs[outputs.length - 1].data;
      for (let row = 0; row < size; row++) {
        let best = 0;
        for (let c = 1; c < MNIST_CLASSES; c++) if (logits[row * MNIST_CLASSES + c] > logits[row * MNIST_CLASSES + best]) best = c;
        predicted[start + row] = best;
      }
    });
  }
  return { layer, count, values, before, predicted };
}

/** Rows of `data` ([size, units, …map]) into `out` (unit-major), a map reduced to its largest value. */
function readUnits(data: Float32Array, size: number, units: number, start: number, count: number, out: Float32Array): void {
  const per = data.length / (size * units);
  for (let row = 0; row < size; row++) {
    for (let u = 0; u < units; u++) {
      const base = (row * units + u) * per;
      let peak = data[base];
      for (let p = 1; p < per; p++) if (data[base + p] > peak) peak = data[base + p];
      out[u * count + start + row] = peak;
    }
  }
}

/**
 * The test images with the largest activations of `unit` (largest first) and with the smallest
 * (smallest first). Equal activations (a ReLU's zeros) are ordered by the value before the
 * activation, then by index: the least are the images that push the unit furthest below zero.
 */
export function extremes(acts: LayerActivations, unit: number, n = UNIT_IMAGES): { top: number[]; bottom: number[] } {
  const { count, values, before } = acts;
  const base = unit * count;
  const compare = (a: number, b: number) => values[base + a] - values[base + b] || before[base + a] - before[base + b];
  const top: number[] = [];
  const bottom: number[] = [];
  // Two bounded selections (n is tiny; the whole set is never sorted); equal ones by index.
  for (let i = 0; i < count; i++) {
    insertBounded(top, i, n, (a, b) => compare(b, a) || a - b);
    insertBounded(bottom, i, n, (a, b) => compare(a, b) || a - b);
  }
  return { top, bottom };
}

/** Keeps `list` the n first items under `order` (negative: a before b). */
function insertBounded(list: number[], item: number, n: number, order: (a: number, b: number) => number): void {
  if (list.length === n && order(item, list[n - 1]) >= 0) return;
  let at = list.length;
  while (at > 0 && order(item, list[at - 1]) < 0) at--;
  list.splice(at, 0, item);
  if (list.length > n) list.pop();
}

export function histogram(acts: LayerActivations, unit: number, bins = HISTOGRAM_BINS): UnitHistogram {
  const values = acts.values.subarray(unit * acts.count, (unit + 1) * acts.count);
  let min = Infinity;
  let max = -Infinity;
  let zeros = 0;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
    if (v === 0) zeros++;
  }
  const counts = new Array<number>(bins).fill(0);
  const width = max - min;
  const dead = !(width > 1e-6 * Math.max(1, Math.abs(max)));
  for (const v of values) counts[dead ? 0 : Math.min(bins - 1, Math.floor(((v - min) / width) * bins))]++;
  return { min, max, counts, zeros, dead };
}

interface Param {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

/** Everything the inspector shows of one unit; `acts` are its layer's activations at `step`. */
export function inspectUnit(info: ModelInfo, spec: ModelSpec, weights: ReadonlyMap<string, Param>, acts: LayerActivations, test: MnistSet, unit: number, step: number): UnitInspection {
  const { layer } = acts;
  const l = info.layers[layer.index];
  const w = weights.get(`${layer.name}.weight`);
  if (!w) throw new Error(`${layer.name} has no weights`);
  const per = sizeOf(w.shape) / w.shape[0];
  const { top, bottom } = extremes(acts, unit);
  const image = (index: number): UnitImage => ({
    index,
    label: test.labels[index],
    predicted: acts.predicted[index],
    activation: acts.values[unit * acts.count + index],
    pixels: Uint8Array.from(test.images.subarray(index * MNIST_PIXELS, (index + 1) * MNIST_PIXELS)),
  });
  const firstWeighted = info.layers.findIndex((x) => x.params.length > 0) === layer.index;
  const { votes, noVotes } = votesOf(info, weights, layer, unit);
  return {
    step,
    layer: layer.name,
    unit,
    units: layer.units,
    kind: layer.kind,
    measure: measureText(info, spec, layer),
    weights: { shape: w.shape.slice(1), data: Float32Array.from(w.data.subarray(unit * per, (unit + 1) * per)) },
    readsPixels: firstWeighted && sizeOf(l.input) === MNIST_PIXELS && (layer.kind === 'dense' || l.input[0] === 1),
    top: top.map(image),
    bottom: bottom.map(image),
    votes,
    noVotes,
    histogram: histogram(acts, unit),
  };
}

function measureText(info: ModelInfo, spec: ModelSpec, layer: UnitLayer): string {
  const after = spec.layers.slice(layer.index + 1, layer.readAt + 1).map((x) => x.type);
  const through = after.length > 0 ? ` after ${after.join(', ')}` : '';
  if (layer.kind === 'conv') {
    const [, h, w] = info.layers[layer.readAt].output;
    return `the largest value of the filter's ${h}×${w} feature map${through}`;
  }
  return `the unit's output${through}`;
}

/**
 * How the unit pushes each digit's score: its outgoing weights into the output layer when that
 * layer reads it directly; for a filter whose (pooled) map is flattened into the output layer,
 * the sum of that layer's weights over the map's positions (the vote of an activation spread
 * evenly over the map). A unit read by another hidden layer has no votes of its own.
 */
export function votesOf(info: ModelInfo, weights: ReadonlyMap<string, Param>, layer: UnitLayer, unit: number): Pick<UnitInspection, 'votes' | 'noVotes'> {
  const layers = info.layers;
  const next = layers.findIndex((l, i) => i > layer.readAt && l.params.length > 0);
  const reader = layers[next];
  if (!reader) return { votes: null, noVotes: 'no layer reads this unit' };
  const isOutput = !layers.slice(next + 1).some((l) => l.params.length > 0) && sizeOf(reader.output) === MNIST_CLASSES;
  if (reader.role !== 'dense' || !isOutput) {
    const what = reader.role === 'dense' ? `${reader.layer.name} (${sizeOf(reader.output)} hidden units)` : `${reader.layer.name} (a ${reader.layer.type})`;
    return { votes: null, noVotes: `not available for this layer: it feeds ${what}, not the ten digits directly; the last hidden layer's units have votes` };
  }
  const w = weights.get(`${reader.layer.name}.weight`);
  if (!w) return { votes: null, noVotes: `${reader.layer.name} has no weights` };
  const inputs = w.shape[1];
  const per = inputs / layer.units;
  const values = Array.from({ length: MNIST_CLASSES }, (_, d) => {
    let sum = 0;
    for (let p = 0; p < per; p++) sum += w.data[d * inputs + unit * per + p];
    return sum;
  });
  const how =
    per === 1
      ? `Its outgoing weights into ${reader.layer.name}: each digit's score moves by this much per unit of activation`
      : `The weights of ${reader.layer.name} from this filter, summed over its ${per} map positions (after pooling): how much each digit's score moves when the filter fires equally all over the map. Where it fires counts too (each position has its own weight), so a filter can vote against a digit overall and still, firing in the right places, push that digit up for its top images`;
  return { votes: { values, layer: reader.layer.name, how }, noVotes: null };
}
