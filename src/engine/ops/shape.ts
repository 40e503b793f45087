// Shape ops. reshape shares storage with its input (a view, as in PyTorch for contiguous
// tensors); transpose copies into a new contiguous tensor, since every tensor is row-major.
import { result } from '../autograd';
import { addScaled } from '../kernels/elementwise';
import { swapAxesInto, type SwapAxesLayout } from '../kernels/transpose';
import { allocFloat32 } from '../storage';
import type { Tensor } from '../tensor';
import { formatShape, normalizeAxis, sizeOf } from './dims';

/** Reshape to `shape`; one dimension may be -1 and is then inferred. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const target = inferShape(shape, x.size, x.shape);
  return result(x.data, target, 'reshape', [x], (g, gradIn) => {
    const gx = gradIn(0);
    if (gx) addScaled(g, 1, gx);
  });
}

function inferShape(shape: readonly number[], size: number, from: readonly number[]): number[] {
  const out = [...shape];
  let inferred = -1;
  let known = 1;
  for (let i = 0; i < out.length; i++) {
    const d = out[i];
    if (d === -1 && inferred < 0) inferred = i;
    else if (!Number.isInteger(d) || d < 0) throw new Error(`reshape: invalid shape ${formatShape(shape)}`);
    else known *= d;
  }
  if (inferred >= 0) {
    if (known === 0 || size % known !== 0) {
      throw new Error(`reshape: cannot reshape ${formatShape(from)} (${size} elements) into ${formatShape(shape)}`);
    }
    out[inferred] = size / known;
  }
  if (sizeOf(out) !== size) {
    throw new Error(`reshape: cannot reshape ${formatShape(from)} (${size} elements) into ${formatShape(shape)}`);
  }
  return out;
}

/** Swap axes d0 and d1 (default: the two axes of a matrix). */
export function transpose(x: Tensor, d0?: number, d1?: number): Tensor {
  const ndim = x.shape.length;
  if (d0 === undefined && d1 === undefined) {
    if (ndim !== 2) throw new Error(`transpose: without axes the tensor must be 2-D, got ${formatShape(x.shape)}`);
    d0 = 0;
    d1 = 1;
  } else if (d0 === undefined || d1 === undefined) {
    throw new Error('transpose: give both axes or neither');
  }
  let lo = normalizeAxis(d0, ndim, 'transpose');
  let hi = normalizeAxis(d1, ndim, 'transpose');
  if (lo > hi) [lo, hi] = [hi, lo];
  if (lo === hi) return reshape(x, x.shape); // swapping an axis with itself changes nothing
  const shape = [...x.shape];
  [shape[lo], shape[hi]] = [shape[hi], shape[lo]];
  const forward = layoutOf(x.shape, lo, hi);
  const out = allocFloat32(x.size);
  swapAxesInto(x.data, forward, out, false);
  // The gradient goes back through the same swap, seen from the output's layout.
  const back = layoutOf(shape, lo, hi);
  return result(out, shape, 'transpose', [x], (g, gradIn) => {
    const gx = gradIn(0);
    if (gx) swapAxesInto(g, back, gx, true);
  });
}

function layoutOf(shape: readonly number[], lo: number, hi: number): SwapAxesLayout {
  return {
    outer: sizeOf(shape.slice(0, lo)),
    a: shape[lo] ?? 1,
    mid: sizeOf(shape.slice(lo + 1, hi)),
    b: shape[hi] ?? 1,
    inner: sizeOf(shape.slice(hi + 1)),
  };
}

/** torch.flatten: dims startDim..endDim (inclusive, negative from the end) merged into one; shares storage. */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.shape.length === 0) return reshape(x, [1]);
  const start = normalizeAxis(startDim, x.shape.length, 'flatten');
  const end = normalizeAxis(endDim, x.shape.length, 'flatten');
  if (start > end) throw new Error(`flatten: startDim ${startDim} comes after endDim ${endDim} for ${formatShape(x.shape)}`);
  return reshape(x, [...x.shape.slice(0, start), sizeOf(x.shape.slice(start, end + 1)), ...x.shape.slice(end + 1)]);
}
