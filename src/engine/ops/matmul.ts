// 2-D matrix product. Backward uses the transposed kernel variants, never a materialised
// transpose: dA += g·Bᵀ, dB += Aᵀ·g, accumulated in place (written, when first).
import { result } from '../autograd';
import { matmulInto } from '../kernels/matmul';
import { allocUninitialized } from '../storage';
import type { Tensor } from '../tensor';
import { formatShape } from './dims';

export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.shape.length !== 2 || b.shape.length !== 2) {
    throw new Error(`matmul: expected two 2-D tensors, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  const [m, k] = a.shape;
  const [k2, n] = b.shape;
  if (k !== k2) {
    throw new Error(`matmul: inner dimensions differ: ${formatShape(a.shape)} · ${formatShape(b.shape)}`);
  }
  const c = allocUninitialized(m * n);
  matmulInto({ a: a.data, b: b.data, c, m, k, n, transA: false, transB: false });
  return result(c, [m, n], 'matmul', [a, b], (g, gradIn, gradFirst) => {
    const fa = gradFirst(0);
    const ga = fa ?? gradIn(0);
    if (ga) matmulInto({ a: g, b: b.data, c: ga, m, k: n, n: k, transA: false, transB: true, accumulate: !fa });
    const fb = gradFirst(1);
    const gb = fb ?? gradIn(1);
    if (gb) matmulInto({ a: a.data, b: g, c: gb, m: k, k: m, n, transA: true, transB: false, accumulate: !fb });
  });
}
