// The one rule for a layer's name, used wherever a name is checked: specs (validateSpec.ts,
// checkSpec.ts for the editor), requests that name a layer (inspect.ts), and so the PyTorch
// export (model/pythonExport.ts), whose nn.Sequential(OrderedDict(...)) must accept every name.
import { describeValue } from './settings';

export const MAX_NAME_LENGTH = 64;
/** Letters, digits and `_` (a digit first too: PyTorch's own Sequential names its layers 0, 1, 2, …). */
export const LAYER_NAME = /^[A-Za-z0-9_]+$/;
/** Optimizer state is stored as `optim.<index>.<key>` beside the parameters: no layer may take the name. */
const OPTIMIZER_STATE = 'optim';

/**
 * What torch.nn.Sequential already has as attributes (nn.Module's and its own), so the exported
 * model's add_module refuses them (`KeyError: "attribute 'forward' already exists"`). Taken from
 * torch 1.13 by tests/fixtures/make_torch_names.py (tests/fixtures/torch_names.json; a test checks
 * this list against it). Only names the rule above allows are listed.
 */
export const TORCH_MODULE_ATTRIBUTES: ReadonlySet<string> = new Set([
  'T_destination',
  '__add__',
  '__annotations__',
  '__call__',
  '__class__',
  '__delattr__',
  '__delitem__',
  '__dict__',
  '__dir__',
  '__doc__',
  '__eq__',
  '__format__',
  '__ge__',
  '__getattr__',
  '__getattribute__',
  '__getitem__',
  '__getstate__',
  '__gt__',
  '__hash__',
  '__iadd__',
  '__imul__',
  '__init__',
  '__init_subclass__',
  '__iter__',
  '__le__',
  '__len__',
  '__lt__',
  '__module__',
  '__mul__',
  '__ne__',
  '__new__',
  '__reduce__',
  '__reduce_ex__',
  '__repr__',
  '__rmul__',
  '__setattr__',
  '__setitem__',
  '__setstate__',
  '__sizeof__',
  '__str__',
  '__subclasshook__',
  '__weakref__',
  '_apply',
  '_backward_hooks',
  '_buffers',
  '_call_impl',
  '_forward_hooks',
  '_forward_pre_hooks',
  '_get_backward_hooks',
  '_get_item_by_idx',
  '_get_name',
  '_is_full_backward_hook',
  '_load_from_state_dict',
  '_load_state_dict_post_hooks',
  '_load_state_dict_pre_hooks',
  '_maybe_warn_non_full_backward_hook',
  '_modules',
  '_named_members',
  '_non_persistent_buffers_set',
  '_parameters',
  '_register_load_state_dict_pre_hook',
  '_register_state_dict_hook',
  '_replicate_for_data_parallel',
  '_save_to_state_dict',
  '_slow_forward',
  '_state_dict_hooks',
  '_version',
  'add_module',
  'append',
  'apply',
  'bfloat16',
  'buffers',
  'children',
  'cpu',
  'cuda',
  'double',
  'dump_patches',
  'eval',
  'extend',
  'extra_repr',
  'float',
  'forward',
  'get_buffer',
  'get_extra_state',
  'get_parameter',
  'get_submodule',
  'half',
  'insert',
  'ipu',
  'load_state_dict',
  'modules',
  'named_buffers',
  'named_children',
  'named_modules',
  'named_parameters',
  'parameters',
  'pop',
  'register_backward_hook',
  'register_buffer',
  'register_forward_hook',
  'register_forward_pre_hook',
  'register_full_backward_hook',
  'register_load_state_dict_post_hook',
  'register_module',
  'register_parameter',
  'requires_grad_',
  'set_extra_state',
  'share_memory',
  'state_dict',
  'to',
  'to_empty',
  'train',
  'training',
  'type',
  'xpu',
  'zero_grad',
]);

/** Whether `value` is a well-formed layer name (reserved or not): what a request naming a layer may carry. */
export function isLayerName(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_NAME_LENGTH && LAYER_NAME.test(value);
}

/** Why `value` is no layer name, for messages: "needs a name of letters, …". */
export function badName(value: unknown): string {
  return `needs a name of letters, digits and _ (at most ${MAX_NAME_LENGTH}) (got ${describeValue(value)})`;
}

/**
 * Why a layer cannot be called `name`, given the names of the layers before it (`earlier`), or
 * null: `message` names the layer (as validation refuses it), `reason` does not (for the layer's own card).
 */
export function layerNameProblem(name: string, index: number, earlier: ReadonlySet<string>): { message: string; reason: string } | null {
  if (!isLayerName(name)) {
    const reason = badName(name);
    return { message: `layer ${index + 1} ${reason}`, reason };
  }
  const reason =
    name === OPTIMIZER_STATE
      ? `the name "${name}" is reserved for the optimizer's state; choose another`
      : TORCH_MODULE_ATTRIBUTES.has(name)
        ? `the name "${name}" is taken by PyTorch's nn.Module (the exported model could not use it); choose another`
        : earlier.has(name)
          ? 'the name is used twice; every layer needs its own'
          : null;
  return reason === null ? null : { message: `layer "${name}": ${reason}`, reason };
}
