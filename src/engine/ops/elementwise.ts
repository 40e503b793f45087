// add, sub, mul, div with numpy broadcasting (a tensor or a plain number on the right).
// Gradients of broadcast inputs are summed back to the input's shape through the same
// index arrays the forward used.
import { result } from '../autograd';
import {
  addScaled, binaryIndexed, binaryScalar, binarySame, scatterAddDivisorGrad, scatterAddProduct,
  scatterAddQuotient, scatterAddScaled, type BinaryOp,
} from '../kernels/elementwise';
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
    // Same shapes: the identity index lets backward share the broadcast kernels.
    return binaryResult(op, a, b, out, a.shape, () => identityIndex(a.size), () => identityIndex(a.size));
  }
  const shape = broadcastShapes(a.shape, b.shape, op);
  const ia = broadcastIndex(shape, a.shape);
  const ib = broadcastIndex(shape, b.shape);
  const out = allocFloat32(sizeOf(shape));
  binaryIndexed(op, a.data, ia, b.data, ib, out);
  return binaryResult(op, a, b, out, shape, () => ia, () => ib);
}

function binaryResult(
  op: BinaryOp, a: Tensor, b: Tensor, out: Float32Array, shape: readonly number[],
  indexA: () => Int32Array, indexB: () => Int32Array,
): Tensor {
  return result(out, shape, op, [a, b], (g, gradIn) => {
    const ga = gradIn(0);
    const gb = gradIn(1);
    const ia = indexA();
    const ib = indexB();
    switch (op) {
      case 'add':
      case 'sub':
        if (ga) scatterAddScaled(g, ia, 1, ga);
        if (gb) scatterAddScaled(g, ib, op === 'add' ? 1 : -1, gb);
        break;
      case 'mul':
        if (ga) scatterAddProduct(g, ia, b.data, ib, ga);
        if (gb) scatterAddProduct(g, ib, a.data, ia, gb);
        break;
      case 'div':
        if (ga) scatterAddQuotient(g, ia, b.data, ib, ga);
        if (gb) scatterAddDivisorGrad(g, a.data, ia, b.data, ib, gb);
        break;
    }
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

let identity = new Int32Array(0);

/** [0, 1, …, n-1], cached and grown on demand (read-only for callers). */
function identityIndex(n: number): Int32Array {
  if (identity.length < n) {
    identity = new Int32Array(Math.max(n, identity.length * 2));
    for (let i = 0; i < identity.length; i++) identity[i] = i;
  }
  return identity;
}
