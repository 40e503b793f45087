// What a model costs, from its spec alone, before anything is allocated: the memory a
// training step takes at a batch size (activations, what the layers keep for backward, the
// gradients, and a convolution's column matrix), the memory of a forward pass (an evaluation
// chunk, a classified image), and the floating-point operations per image. Each layer's share
// comes from its registry entry (LayerKind.cost); this walks the layers and adds them up.
//
// The budgets keep every accepted model inside the engine's 1 GiB of WASM memory next to its
// parameters and optimizer state (at most 10 M parameters: ~160 MB with Adam) and the data
// sets' pixels (~55 MB), with room for the arena's and the staging block's growth.
import { describeModel, type ModelInfo } from './describe';
import type { ModelSpec } from './spec';
import { layerLabel } from './describe';
import { kindOf, type LayerSpec } from './layerKinds';
import { sizeOf } from './shape';

export { COLS_SLICE_FLOATS } from './convSlices';

/** Bytes a training step (or an evaluation chunk, or a classified image) may take. */
export const STEP_MEMORY_BUDGET = 512 * 2 ** 20;
/** Forward operations per image a model may take: ~0.05 s per image at 20 GFLOP/s, and a 10 000-image evaluation in minutes, not hours. */
export const MAX_FLOPS_PER_SAMPLE = 1e9;
/**
 * Bytes an evaluation chunk aims for: evaluation shares the training step's arena, which keeps
 * its largest size, so a chunk stays well below the step budget (a chunk of one image always
 * runs: a forward pass of one image holds less than the training step of one, which validation
 * held to the step budget).
 */
export const EVAL_MEMORY_BUDGET = 128 * 2 ** 20;
/** The most images an evaluation runs through the model at once (enough for fast matrix products). */
export const MAX_EVAL_CHUNK = 1000;
/** A training step's operations against the forward pass's: backward takes about twice the forward (two products per layer's one). */
export const TRAIN_FLOPS_FACTOR = 3;

const FLOAT = 4;

export interface LayerCostInfo {
  layer: LayerSpec;
  /** Forward operations per image. */
  flops: number;
  /** Floats per image the forward pass holds for this layer (output and what it keeps for backward). */
  forward: number;
  /** Floats per image of the gradient backward writes for this layer's input (none for the first layer: the images need none). */
  gradient: number;
  /** Floats of temporaries for `samples` images at once. */
  scratch(samples: number): number;
}

export interface ModelCost {
  /** Floats per image of the model's input (the batch's pixels). */
  input: number;
  layers: LayerCostInfo[];
  /** Forward operations per image. */
  flopsPerSample: number;
}

export function modelCost(info: ModelInfo): ModelCost {
  const layers = info.layers.map((l, index): LayerCostInfo => {
    const cost = kindOf(l.layer).cost(l.layer, l.input, l.output);
    return { layer: l.layer, flops: cost.flops, forward: sizeOf(l.output) + cost.saved, gradient: index === 0 ? 0 : sizeOf(l.input), scratch: cost.scratch };
  });
  return { input: sizeOf(info.input), layers, flopsPerSample: layers.reduce((sum, l) => sum + l.flops, 0) };
}

/** Peak bytes up to each layer (in order): `training` adds the gradients. The last is the whole pass's. */
export function bytesByLayer(cost: ModelCost, samples: number, training: boolean): number[] {
  let held = cost.input * samples;
  let scratch = 0;
  return cost.layers.map((l) => {
    held += samples * (l.forward + (training ? l.gradient : 0));
    scratch = Math.max(scratch, l.scratch(samples));
    return (held + scratch) * FLOAT;
  });
}

/** Bytes of a training step at `batch` images: activations, kept values, gradients and scratch. */
export function trainingBytes(cost: ModelCost, batch: number): number {
  return bytesByLayer(cost, batch, true).at(-1) ?? 0;
}

/** Bytes of a forward pass (evaluation, classification) over `samples` images at once. */
export function forwardBytes(cost: ModelCost, samples: number): number {
  return bytesByLayer(cost, samples, false).at(-1) ?? 0;
}

/**
 * Images per evaluation chunk: as many as fit EVAL_MEMORY_BUDGET, at most MAX_EVAL_CHUNK and at
 * least one. A forward pass of one image holds less than a training step of one, which
 * validation held to the step budget: anything accepted for training can be evaluated.
 */
export function evalChunk(cost: ModelCost): number {
  let lo = 1;
  let hi = MAX_EVAL_CHUNK;
  if (forwardBytes(cost, hi) <= EVAL_MEMORY_BUDGET) return hi;
  // Bytes grow with the chunk: the largest that fits, by bisection.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (forwardBytes(cost, mid) <= EVAL_MEMORY_BUDGET) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Training operations per step at `batch` images. */
export function trainingFlops(cost: ModelCost, batch: number): number {
  return TRAIN_FLOPS_FACTOR * cost.flopsPerSample * batch;
}

const HINT = 'fewer filters or units, pooling or a stride earlier, or a smaller kernel';

/**
 * Why a training step at `batch` images does not fit the memory budget, naming the layer where
 * it goes over, or null. At batch 1 this also covers an evaluation and a classified image
 * (a forward pass holds less).
 */
export function memoryProblem(cost: ModelCost, batch: number): string | null {
  const bytes = bytesByLayer(cost, batch, true);
  const at = bytes.findIndex((b) => b > STEP_MEMORY_BUDGET);
  if (at < 0) return null;
  const total = bytes[bytes.length - 1];
  const what = batch === 1 ? 'one image' : `a training step at batch ${batch}`;
  const fix = batch === 1 ? HINT : `a smaller batch, or ${HINT}`;
  return `${layerLabel(cost.layers[at].layer)}: ${what} needs ${formatBytes(bytes[at])} of activations and gradients up to this layer (${formatBytes(total)} in all); Digitrain's budget is ${formatBytes(STEP_MEMORY_BUDGET)}: ${fix}`;
}

/** Why the model takes too many operations per image, naming the layer where it goes over, or null. */
export function computeProblem(cost: ModelCost): string | null {
  let sum = 0;
  for (const l of cost.layers) {
    sum += l.flops;
    if (sum > MAX_FLOPS_PER_SAMPLE) {
      return `${layerLabel(l.layer)}: one image needs ${formatFlops(sum)} up to this layer (${formatFlops(cost.flopsPerSample)} in all); Digitrain runs at most ${formatFlops(MAX_FLOPS_PER_SAMPLE)} per image: ${HINT}`;
    }
  }
  return null;
}

/** The spec's own limits, whatever the batch: operations per image, and one image's training step. */
export function costProblem(cost: ModelCost): string | null {
  return computeProblem(cost) ?? memoryProblem(cost, 1);
}

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} bytes` : `${value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US')} ${units[unit]}`;
}

export function formatFlops(flops: number): string {
  const units: [number, string][] = [
    [1e12, 'TFLOP'],
    [1e9, 'GFLOP'],
    [1e6, 'MFLOP'],
    [1e3, 'kFLOP'],
  ];
  for (const [scale, unit] of units) {
    if (flops >= scale) {
      const value = flops / scale;
      return `${value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US')} ${unit}`;
    }
  }
  return `${Math.round(flops)} FLOP`;
}

/** Why `spec` (valid) cannot train at `batch` images per step, naming the layer, or null. */
export function trainingProblem(spec: ModelSpec, batch: number): string | null {
  return memoryProblem(modelCost(describeModel(spec)), batch);
}
