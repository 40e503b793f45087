// The rows of `npm run bench -- --profile ARCH`: what a training step spends its time on, ours
// (the engine's spans, src/engine/profile.ts) and PyTorch's (torch.autograd.profiler's events,
// bench/torch_bench.py) sorted into the same rows so that they line up.
//
// Ours map span by span (a table keyed by every span: a new span does not compile without a
// row). PyTorch's events are named by the profiler (aten::…, autograd nodes, record_function
// ranges) and nest: an event's row is that of the step phase it runs in when that phase is one
// with a row of its own (torch_bench.py marks the batch, the optimizer's step, zero_grad and the
// read-back), else its own name's row, else its nearest ancestor's (aten::mm under
// AddmmBackward0 is the linear layer's backward, under aten::linear its forward). Names that
// only ever inherit (aten::empty, aten::mm, views) are listed as such; a name in neither list is
// reported as unmapped, so a new PyTorch op shows up instead of hiding in "other".
import type { ProfileSpan } from '../src/engine/profile';

export interface ProfileRow {
  id: Category;
  label: string;
  /** Rows of one group print under its subtotal. */
  group: string | null;
}

export const PROFILE_ROWS = [
  { id: 'conv.forward.gemm', label: 'product W·cols', group: 'conv forward' },
  { id: 'conv.forward.im2col', label: 'im2col', group: 'conv forward' },
  { id: 'conv.forward.layout', label: 'layout + bias', group: 'conv forward' },
  { id: 'conv.forward.whole', label: "PyTorch's conv op (mkldnn)", group: 'conv forward' },
  { id: 'conv.backward.input', label: 'input gradient: product Wᵀ·G', group: 'conv backward' },
  { id: 'conv.backward.col2im', label: 'input gradient: col2im', group: 'conv backward' },
  { id: 'conv.backward.weight', label: 'weight gradient: product G·colsᵀ', group: 'conv backward' },
  { id: 'conv.backward.im2col', label: 'weight gradient: im2col again', group: 'conv backward' },
  { id: 'conv.backward.layout', label: 'layout', group: 'conv backward' },
  { id: 'conv.backward.bias', label: 'bias gradient', group: 'conv backward' },
  { id: 'conv.backward.whole', label: "PyTorch's convolution_backward (all three)", group: 'conv backward' },
  { id: 'pool.forward', label: 'pooling forward', group: null },
  { id: 'pool.backward', label: 'pooling backward', group: null },
  { id: 'relu.forward', label: 'ReLU forward', group: null },
  { id: 'relu.backward', label: 'ReLU backward', group: null },
  { id: 'dropout', label: 'dropout forward + backward', group: null },
  { id: 'linear.forward', label: 'linear forward (+ fused ReLU)', group: null },
  { id: 'linear.backward', label: 'linear backward', group: null },
  { id: 'loss', label: 'loss forward + backward', group: null },
  { id: 'optimizer', label: 'optimizer step (Adam)', group: null },
  { id: 'zero', label: 'zero fills (gradient buffers, zero_grad)', group: null },
  { id: 'copy', label: 'copies (staging, contiguous, dtype)', group: null },
  { id: 'wait', label: "waiting for the pool's other threads", group: null },
  { id: 'batch', label: 'batch: gather + scale', group: null },
  { id: 'autograd', label: 'autograd: graph walk, nodes', group: null },
  { id: 'other', label: 'other: JS / Python between ops, read-back, profiler', group: null },
] as const satisfies readonly { id: string; label: string; group: string | null }[];

export type Category = (typeof PROFILE_ROWS)[number]['id'];

export const OUR_CATEGORY: Record<ProfileSpan, Category> = {
  batch: 'batch',
  'conv.im2col.forward': 'conv.forward.im2col',
  'conv.im2col.backward': 'conv.backward.im2col',
  'conv.gemm.forward': 'conv.forward.gemm',
  'conv.gemm.weight': 'conv.backward.weight',
  'conv.gemm.input': 'conv.backward.input',
  'conv.col2im': 'conv.backward.col2im',
  'conv.layout.forward': 'conv.forward.layout',
  'conv.layout.backward': 'conv.backward.layout',
  'conv.bias': 'conv.backward.bias',
  'maxpool.forward': 'pool.forward',
  'maxpool.backward': 'pool.backward',
  'avgpool.forward': 'pool.forward',
  'avgpool.backward': 'pool.backward',
  'relu.forward': 'relu.forward',
  'relu.backward': 'relu.backward',
  'dropout.forward': 'dropout',
  'dropout.backward': 'dropout',
  'linear.forward': 'linear.forward',
  'linear.backward': 'linear.backward',
  'loss.forward': 'loss',
  'loss.backward': 'loss',
  autograd: 'autograd',
  optimizer: 'optimizer',
  zero: 'zero',
  copy: 'copy',
  'pool.wait': 'wait',
};

/** torch_bench.py's record_function ranges for the step's phases; the first four claim everything inside them. */
const TORCH_PHASES: Readonly<Record<string, Category | null>> = {
  'digitrain::batch': 'batch',
  'digitrain::optimizer': 'optimizer',
  'digitrain::zero_grad': 'zero',
  'digitrain::readback': 'other',
  // Phases whose events have rows of their own.
  'digitrain::forward': null,
  'digitrain::loss': 'loss',
  'digitrain::backward': null,
};

/** PyTorch 1.13's op and autograd-node names that have a row of their own. */
const TORCH_OPS: Readonly<Record<string, Category>> = {
  'aten::conv2d': 'conv.forward.whole',
  'aten::convolution': 'conv.forward.whole',
  'aten::_convolution': 'conv.forward.whole',
  'aten::mkldnn_convolution': 'conv.forward.whole',
  'aten::_slow_conv2d_forward': 'conv.forward.whole',
  'aten::thnn_conv2d': 'conv.forward.whole',
  'aten::_nnpack_spatial_convolution': 'conv.forward.whole',
  ConvolutionBackward0: 'conv.backward.whole',
  'aten::convolution_backward': 'conv.backward.whole',
  'aten::mkldnn_convolution_backward': 'conv.backward.whole',
  'aten::_slow_conv2d_backward': 'conv.backward.whole',
  'aten::max_pool2d': 'pool.forward',
  'aten::max_pool2d_with_indices': 'pool.forward',
  'aten::avg_pool2d': 'pool.forward',
  MaxPool2DWithIndicesBackward0: 'pool.backward',
  'aten::max_pool2d_with_indices_backward': 'pool.backward',
  AvgPool2DBackward0: 'pool.backward',
  'aten::avg_pool2d_backward': 'pool.backward',
  'aten::relu': 'relu.forward',
  'aten::relu_': 'relu.forward',
  'aten::clamp_min': 'relu.forward',
  ReluBackward0: 'relu.backward',
  'aten::threshold_backward': 'relu.backward',
  'aten::dropout': 'dropout',
  'aten::native_dropout': 'dropout',
  'aten::bernoulli_': 'dropout',
  NativeDropoutBackward0: 'dropout',
  // torch 1.13's CPU dropout is bernoulli_, div_ and mul: its backward is a MulBackward0 (the presets multiply nowhere else).
  MulBackward0: 'dropout',
  'aten::native_dropout_backward': 'dropout',
  'aten::linear': 'linear.forward',
  // Only the forward calls addmm (AddmmBackward0 calls mm); inside aten::linear or not.
  'aten::addmm': 'linear.forward',
  AddmmBackward0: 'linear.backward',
  TBackward0: 'linear.backward',
  'aten::cross_entropy_loss': 'loss',
  'aten::log_softmax': 'loss',
  'aten::_log_softmax': 'loss',
  'aten::nll_loss_nd': 'loss',
  'aten::nll_loss': 'loss',
  'aten::nll_loss_forward': 'loss',
  NllLossBackward0: 'loss',
  'aten::nll_loss_backward': 'loss',
  LogSoftmaxBackward0: 'loss',
  'aten::_log_softmax_backward_data': 'loss',
  'aten::zero_': 'zero',
  'aten::fill_': 'zero',
  'aten::copy_': 'copy',
  'aten::contiguous': 'copy',
  'aten::clone': 'copy',
  'torch::autograd::AccumulateGrad': 'autograd',
};

/**
 * Names that only inherit their ancestor's row: allocation, views, the products inside a linear
 * layer and its backward, element-wise arithmetic (Adam's, dropout's, the batch's / 255), and
 * the optimizer's and zero_grad's own ranges (claimed by their phase).
 */
const TORCH_INHERITING = new Set([
  'aten::empty',
  'aten::empty_strided',
  'aten::empty_like',
  'aten::zeros',
  'aten::zeros_like',
  'aten::resize_',
  'aten::as_strided',
  'aten::as_strided_',
  'aten::resolve_conj',
  'aten::view',
  'aten::_unsafe_view',
  'aten::reshape',
  'aten::_reshape_alias',
  'aten::flatten',
  'aten::expand',
  'aten::t',
  'aten::transpose',
  'aten::permute',
  'aten::detach',
  'detach',
  'aten::mm',
  'aten::matmul',
  'aten::sum',
  'aten::add',
  'aten::add_',
  'aten::mul',
  'aten::mul_',
  'aten::div',
  'aten::div_',
  'aten::sqrt',
  'aten::addcmul_',
  'aten::addcdiv_',
  'aten::lerp_',
  'aten::neg',
  'aten::to',
  'aten::_to_copy',
  'aten::index',
  'aten::randint',
  'aten::random_',
  'aten::lift_fresh',
  'aten::argmax',
  'aten::eq',
  'aten::mean',
  'aten::item',
  'aten::_local_scalar_dense',
  'aten::ones_like',
  'aten::result_type',
  'ViewBackward0',
  'ReshapeAliasBackward0',
  'UnsafeViewBackward0',
]);

/** The optimizer's and zero_grad's own record_function ranges (torch.optim names them after the class). */
const TORCH_RANGE_PREFIXES = ['Optimizer.step#', 'Optimizer.zero_grad#'];

/** The autograd engine's wrapper around each node's backward: `autograd::engine::evaluate_function: NodeName`. */
const EVALUATE = 'autograd::engine::evaluate_function: ';

/** The row's category of `name` alone, or null when it inherits; undefined when the name is unknown. */
function ownCategory(name: string): Category | null | undefined {
  if (Object.hasOwn(TORCH_PHASES, name)) return TORCH_PHASES[name];
  if (Object.hasOwn(TORCH_OPS, name)) return TORCH_OPS[name];
  if (name.startsWith(EVALUATE)) return ownCategory(name.slice(EVALUATE.length)) === undefined ? undefined : 'autograd';
  if (TORCH_INHERITING.has(name) || TORCH_RANGE_PREFIXES.some((p) => name.startsWith(p))) return null;
  return undefined;
}

/** Whether the mapping knows `name` (it has a row, or inherits one by design). */
export function knownTorchName(name: string): boolean {
  return ownCategory(name) !== undefined;
}

/**
 * The row of a PyTorch profiler event, given its path: the names of its ancestors, outermost
 * first, then its own name.
 */
export function torchCategory(path: readonly string[]): Category {
  for (const name of path) {
    if (!Object.hasOwn(TORCH_PHASES, name)) continue;
    const phase = TORCH_PHASES[name];
    if (phase === 'batch' || phase === 'optimizer' || phase === 'zero' || phase === 'other') return phase;
  }
  for (let i = path.length - 1; i >= 0; i--) {
    const name = path[i];
    // The engine's wrapper is autograd's own time; what runs inside it is its node's op.
    if (name.startsWith(EVALUATE) && i < path.length - 1) {
      const node = ownCategory(name.slice(EVALUATE.length));
      if (node) return node;
    }
    const category = ownCategory(name);
    if (category) return category;
  }
  return 'other';
}
