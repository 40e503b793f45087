// The L2 norm of every parameter's gradient taken together, as torch.nn.utils.clip_grad_norm_
// measures it before clipping (parameters without a gradient count as none). One pass over
// each gradient in the fused kernel (WASM SIMD when the gradient lives in its memory): the
// training health monitor takes it every few steps, and at ~10⁵ floats a JS loop was 3 % of a
// batch-32 step.
import { fusedKernels } from '../kernels/fused';
import type { Tensor } from '../tensor';

export function gradNorm(params: Iterable<Tensor>): number {
  const kernels = fusedKernels();
  let sum = 0;
  for (const p of params) if (p.grad) sum += kernels.sumOfSquares(p.grad.data);
  return Math.sqrt(sum);
}
