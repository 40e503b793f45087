// The fused affine map of nn.Linear: y = x·Wᵀ + b with W stored [out, in] (PyTorch layout).
// Forward is one transB matmul plus a bias loop; backward is
//   dx += g·W  (plain),  dW += gᵀ·x  (transA),  db += column sums of g.
import { result } from '../autograd';
import { addBiasRows, sumRowsInto } from '../kernels/rows';
import { matmulInto } from '../kernels/matmul';
import { allocFloat32 } from '../storage';
import type { Tensor } from '../tensor';
import { formatShape } from './dims';

export function linear(x: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
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
  const y = allocFloat32(batch * outFeatures);
  matmulInto({ a: x.data, b: weight.data, c: y, m: batch, k: inFeatures, n: outFeatures, transA: false, transB: true });
  if (bias) addBiasRows(y, bias.data, batch, outFeatures);
  const inputs = bias ? [x, weight, bias] : [x, weight];
  return result(y, [batch, outFeatures], 'linear', inputs, (g, gradIn) => {
    const gx = gradIn(0);
    if (gx) {
      matmulInto({ a: g, b: weight.data, c: gx, m: batch, k: outFeatures, n: inFeatures, transA: false, transB: false, accumulate: true });
    }
    const gw = gradIn(1);
    if (gw) {
      matmulInto({ a: g, b: x.data, c: gw, m: outFeatures, k: batch, n: inFeatures, transA: true, transB: false, accumulate: true });
    }
    const gb = bias ? gradIn(2) : null;
    if (gb) sumRowsInto(g, batch, outFeatures, gb);
  });
}
