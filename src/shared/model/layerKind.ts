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
