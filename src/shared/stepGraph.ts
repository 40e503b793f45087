// How it works (issue 27): one training step as the engine records it. The training worker
// runs forward, the loss and backward for one test digit on the live model and walks the tape
// (the GradFn nodes backward() walks), and answers this graph: every op node with its output's
// shape, a summary of its values and of its gradient, the chain rule for one element with the
// actual numbers, and for each parameter the optimizer's update of one weight from its state.
// Nothing of the live run changes (main/training/howItWorks/).
import { ContractError } from './contractError';
import { describeValue, isRecord } from './model/settings';
import { ownValue } from './ownKeys';
import type { LayerSpec } from './model/layerKinds';
import type { OptimizerName } from './optimizers';

/** Which test digit to take the step on (0-based index into the MNIST test set). */
export interface StepGraphQuery {
  index: number;
}

export const TEST_SET_SIZE = 10_000;

/** Values at most this many are sent whole (activations of one digit); larger ones only as summaries. */
export const MAX_FULL_VALUES = 16_384;
export const HISTOGRAM_BINS = 24;

export interface ValueSummary {
  min: number;
  max: number;
  mean: number;
  /** Euclidean norm. */
  norm: number;
  /** Counts in HISTOGRAM_BINS equal bins from min to max. */
  histogram: number[];
}

/**
 * One element's chain rule: `lhs = formula = numbers = value`, e.g.
 * `∂L/∂l1[17] = ∂L/∂act[17] · relu′(l1[17]) = 0.031 · 1 = 0.031`.
 */
export interface ChainRule {
  lhs: string;
  formula: string;
  numbers: string;
  value: number;
}

/** The optimizer's update of one weight, term by term (names as the optimizer's formulas). */
export interface WeightUpdate {
  optimizer: string;
  /** Flat index into the parameter, and the same as [i, j, …]. */
  index: number;
  at: number[];
  /** Ordered terms `name = formula = value`, ending with the new weight. */
  terms: { name: string; formula: string; value: number }[];
}

export type GraphNodeKind = 'input' | 'param' | 'op';

export interface GraphNode {
  id: number;
  kind: GraphNodeKind;
  /** The op's name as the engine records it (`linear`, `relu`, `conv2d`, …), or the parameter's full name, or `input`. */
  name: string;
  /** A short name for its value in formulas: the layer's name for a layer's output, `x`, `l1.weight`. */
  symbol: string;
  /** The layer it belongs to (null for the input and the loss). */
  layer: string | null;
  /** Ids of its inputs (ops only), in the op's order. */
  inputs: number[];
  shape: number[];
  /** Forward values (whole when at most MAX_FULL_VALUES). */
  values: Float32Array | null;
  forward: ValueSummary;
  /** The gradient of the loss with respect to this value, as backward computed it (null: none flows here, e.g. the input). */
  grad: Float32Array | null;
  gradSummary: ValueSummary | null;
  /** Ops: the chain rule for one element of each input that gets a gradient. */
  chain: ChainRule[];
  /** Parameters: the optimizer's update of one weight. */
  update: WeightUpdate | null;
}

export interface StepGraph {
  /** The training steps taken so far (the graph is the next step's, on this digit). */
  step: number;
  index: number;
  label: number;
  predicted: number;
  loss: number;
  /** Forward order: leaves and ops, each after its inputs; backward visits the ops in reverse. */
  nodes: GraphNode[];
  /** The model's layers in order (the groups of the layout), with their settings. */
  layers: LayerSpec[];
  labelSmoothing: number;
  /** The optimizer whose update the parameters' nodes show. */
  optimizer: OptimizerName;
}

export interface StepGraphApi {
  /** One training step on one test digit, as the engine records it (nothing of the run changes). */
  stepGraph(query: StepGraphQuery): Promise<StepGraph>;
}

export function validateStepGraphQuery(value: unknown): StepGraphQuery {
  if (!isRecord(value)) throw new ContractError(`a step graph query must be { index } (got ${describeValue(value)})`);
  const index = ownValue(value, 'index');
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= TEST_SET_SIZE) {
    throw new ContractError(`index must be a test image's index, 0 to ${TEST_SET_SIZE - 1} (got ${describeValue(index)})`);
  }
  return { index };
}

/** A number as the formulas print it: 4 significant digits, exponent form when very small or large. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a < 1e-3 || a >= 1e5) return v.toExponential(3).replace(/\.?0+e/, 'e');
  return String(Number(v.toPrecision(4)));
}

/** `[i, j, …]` of a flat index into `shape`. */
export function indexOf(shape: readonly number[], flat: number): number[] {
  const at: number[] = [];
  let rest = flat;
  for (let d = shape.length - 1; d >= 0; d--) {
    at.unshift(rest % shape[d]);
    rest = Math.floor(rest / shape[d]);
  }
  return at;
}
