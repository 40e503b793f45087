// add, sub, mul, div with numpy broadcasting (a tensor or a plain number on the right).
// Gradients of broadcast inputs are summed back to the input's shape through the same
// index arrays the forward used.
import { result } from '../autograd';
import { addScaled, binaryGradIndexed, binaryGradSame, binaryIndexed, binaryScalar, binarySame, type BinaryOp } from '../kernels/elementwise';
import { allocFloat32 } from '../storage';
import type { Tensor } from '../tensor';
import { broadcastIndex, broadcastShapes, sameShape, sizeOf } from './dims';

export function add(a: Tensor, b: Tensor | number): Tensor {
  return binary('add', a, b);
}

export function sub(a: Tensor, b: Tensor | number): Tensor {
  return binary('sub', a, b);
}

export function mul(a: Tensor, b: Tensor | number): Tensor {
  return binary('mul', a, b);
}

export function div(a: Tensor, b: Tensor | number): Tensor {
  return binary('div', a, b);
}

function binary(op: BinaryOp, a: Tensor, b: Tensor | number): Tensor {
  if (typeof b === 'number') return binaryWithScalar(op, a, b);
  if (sameShape(a.shape, b.shape)) {
    const out = allocFloat32(a.size);
    binarySame(op, a.data, b.data, out);
    return result(out, a.shape, op, [a, b], (g, gradIn) => {
      binaryGradSame(op, g, a.data, b.data, gradIn(0), gradIn(1));
    });
  }
  const shape = broadcastShapes(a.shape, b.shape, op);
  const ia = broadcastIndex(shape, a.shape);
  const ib = broadcastIndex(shape, b.shape);
  const out = allocFloat32(sizeOf(shape));
  binaryIndexed(op, a.data, ia, b.data, ib, out);
  return result(out, shape, op, [a, b], (g, gradIn) => {
    binaryGradIndexed(op, g, a.data, ia, b.data, ib, gradIn(0), gradIn(1));
  });
}

function binaryWithScalar(op: BinaryOp, a: Tensor, s: number): Tensor {
  const out = allocFloat32(a.size);
  binaryScalar(op, a.data, s, out);
  // d(a op s)/da is a constant: 1 for add/sub, s for mul, 1/s for div.
  const slope = op === 'mul' ? s : op === 'div' ? 1 / s : 1;
  return result(out, a.shape, op, [a], (g, gradIn) => {
    const ga = gradIn(0);
    if (ga) addScaled(g, slope, ga);
  });
}
