// What the app knows about one kind of layer: how to describe it, which settings it takes,
// the shape it produces and the parameters it owns (PyTorch's names and layouts). The
// engine side of the same kind (how to build its module) is in main/model/layerModules.ts.
import type { Setting } from './settings';
import type { Shape } from './shape';

/**
 * What a layer does to its input, which decides how the UI draws it: `dense` and `conv` layers
 * hold weights (drawn as tiles and filters), `pool` and `reshape` change the shape, and
 * `activation`, `norm` and `dropout` transform values in place.
 */
export type LayerRole = 'dense' | 'conv' | 'pool' | 'reshape' | 'activation' | 'norm' | 'dropout';

/** A parameter or buffer of a layer: `<layer>.<name>` in the state dict. */
export interface TensorInfo {
  name: string;
  shape: number[];
  /** How a file stores it, when not as float32: PyTorch keeps batch norm's `num_batches_tracked` as int64. */
  dtype?: 'I64';
}

/**
 * What a layer costs for one sample, from its registry entry (shared/model/cost.ts adds these
 * up over a model). Sizes are in floats; the layer's output (and in training its gradient, and
 * its input's gradient) are counted by the model's walk, not here.
 */
export interface LayerCost {
  /** Floating-point operations of the forward pass for one sample (a multiply-add is two). */
  flops: number;
  /** Floats per sample the layer keeps beside its output while the step lasts (a dropout mask, the max's positions, gathered inputs). */
  saved: number;
  /** Floats of temporaries while the layer runs on `samples` samples at once (a convolution's column matrix); reused, not kept. */
  scratch(samples: number): number;
}

/** Nothing beyond the output, `flopsPerValue` operations per output value. */
export function elementwiseCost(output: Shape, flopsPerValue = 1): LayerCost {
  return { flops: sizeOfShape(output) * flopsPerValue, saved: 0, scratch: noScratch };
}

export const noScratch = (): number => 0;

function sizeOfShape(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Settings of a layer spec: every key but `name` and `type`. */
export type LayerSettings<L> = Omit<L, 'name' | 'type'>;

export interface LayerKind<L extends { name: string; type: string }> {
  type: L['type'];
  /** As PyTorch calls the module, e.g. "Linear". */
  label: string;
  /** One sentence for a learner: what the layer does. */
  description: string;
  role: LayerRole;
  settings: { [K in keyof LayerSettings<L>]-?: Setting };
  /**
   * The output shape (without the batch dimension) for an input of `input`; throws a
   * LayerShapeError saying why the layer cannot take that input.
   */
  outputShape(layer: L, input: Shape): number[];
  /** Trainable parameters in PyTorch's order (`named_parameters()`), with their shapes. */
  params(layer: L, input: Shape): TensorInfo[];
  /** Non-trainable state PyTorch keeps in the state dict (e.g. batch norm's running statistics). */
  buffers(layer: L, input: Shape): TensorInfo[];
  /** Compute and memory per sample on `input` (whose output is `output`): the budgets read this. */
  cost(layer: L, input: Shape, output: Shape): LayerCost;
}

/** A layer cannot take the input it is given; the message says why, in a learner's terms. */
export class LayerShapeError extends Error {
  override name = 'LayerShapeError';

  /** `reason`: the message without the layer's name, where the layer is already in view (the editor's card). */
  constructor(
    message: string,
    readonly reason: string = message,
  ) {
    super(message);
  }
}

export const noTensors = (): TensorInfo[] => [];
