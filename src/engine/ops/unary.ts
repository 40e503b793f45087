// Pointwise functions of one tensor: neg, exp, log (tanh and sigmoid through here from activation.ts; relu there on the fused kernels).
// Each backward is one kernel call; see kernels/elementwise.ts unaryGrad for the formulas.
import { result } from '../autograd';
import { unary, unaryGrad, type UnaryOp } from '../kernels/elementwise';
import { allocFloat32 } from '../storage';
import type { Tensor } from '../tensor';

export function unaryOp(op: UnaryOp, x: Tensor): Tensor {
  const out = allocFloat32(x.size);
  unary(op, x.data, out);
  return result(out, x.shape, op, [x], (g, gradIn) => {
    const gx = gradIn(0);
    if (gx) unaryGrad(op, g, x.data, out, gx);
  });
}

export function neg(x: Tensor): Tensor {
  return unaryOp('neg', x);
}

export function exp(x: Tensor): Tensor {
  return unaryOp('exp', x);
}

export function log(x: Tensor): Tensor {
  return unaryOp('log', x);
}
