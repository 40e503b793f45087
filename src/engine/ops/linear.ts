// The fused affine map of nn.Linear: y = act(x·Wᵀ + b) with W stored [out, in] (PyTorch
// layout), and an optional activation applied in the same pass (Sequential and MLP fuse a
// Linear with the ReLU after it; the pre-activation is never stored).
// Forward is one transB matmul with the bias and activation in its epilogue; backward is
//   gz = g ⊙ act'(y),  db += column sums of gz   (one pass)
//   dx += gz·W  (plain),  dW += gzᵀ·x  (transA), each written instead when it is the first
//   contribution to that gradient (no zeroing, no read of zeros).
import { result } from '../autograd';
import type { Activation } from '../kernels/activation';
import { fusedKernels } from '../kernels/fused';
import { matmulInto } from '../kernels/matmul';
import { allocUninitialized } from '../storage';
import type { Tensor } from '../tensor';
import { formatShape } from './dims';

export function linear(x: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  return linearActivated(x, weight, bias, 'none');
}

/** act(linear(x, weight, bias)) as one op. */
export function linearActivated(x: Tensor, weight: Tensor, bias: Tensor | null, activation: Activation): Tensor {
  if (x.shape.length !== 2 || weight.shape.length !== 2) {
    throw new Error(`linear: expected x [N, in] and weight [out, in], got ${formatShape(x.shape)} and ${formatShape(weight.shape)}`);
  }
  const [batch, inFeatures] = x.shape;
  const [outFeatures, weightIn] = weight.shape;
  if (weightIn !== inFeatures) {
    throw new Error(`linear: input has ${inFeatures} features but weight ${formatShape(weight.shape)} expects ${weightIn}`);
  }
  if (bias && (bias.shape.length !== 1 || bias.shape[0] !== outFeatures)) {
    throw new Error(`linear: bias must be [${outFeatures}], got ${formatShape(bias.shape)}`);
  }
  const y = allocUninitialized(batch * outFeatures);
  fusedKernels().linearForward(x.data, weight.data, bias ? bias.data : null, y, batch, inFeatures, outFeatures, activation);
  const inputs = bias ? [x, weight, bias] : [x, weight];
  const name = activation === 'none' ? 'linear' : `linear+${activation}`;
  return result(y, [batch, outFeatures], name, inputs, (g, gradIn, gradFirst) => {
    const gb = bias ? gradIn(2) : null;
    let gz = g;
    if (activation !== 'none') gz = allocUninitialized(batch * outFeatures);
    if (activation !== 'none' || gb) fusedKernels().activationBackward(g, y, batch, outFeatures, activation, gz === g ? null : gz, gb);
    const fx = gradFirst(0);
    const gx = fx ?? gradIn(0);
    if (gx) {
      matmulInto({ a: gz, b: weight.data, c: gx, m: batch, k: outFeatures, n: inFeatures, transA: false, transB: false, accumulate: !fx });
    }
    const fw = gradFirst(1);
    const gw = fw ?? gradIn(1);
    if (gw) {
      matmulInto({ a: gz, b: x.data, c: gw, m: outFeatures, k: batch, n: inFeatures, transA: true, transB: false, accumulate: !fw });
    }
  });
}
