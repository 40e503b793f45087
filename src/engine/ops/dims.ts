// Shape arithmetic shared by the ops: sizes, axes, strides and numpy broadcasting.

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function checkShape(shape: readonly number[]): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new Error(`invalid shape [${shape.join(', ')}]: dimensions must be non-negative integers`);
  }
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Resolves a possibly negative axis (PyTorch style: -1 is the last) against `ndim`. */
export function normalizeAxis(axis: number, ndim: number, op: string): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new Error(`${op}: axis ${axis} is out of range for a tensor of ${ndim} dimension(s)`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/** Views a shape as [outer, dim, inner] around `axis`, the layout every axis kernel works on. */
export function splitAtAxis(shape: readonly number[], axis: number): { outer: number; dim: number; inner: number } {
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i];
  let inner = 1;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i];
  return { outer, dim: shape[axis], inner };
}

function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** numpy broadcasting: align from the right; each pair of dims must be equal or one of them 1. */
export function broadcastShapes(a: readonly number[], b: readonly number[], op: string): number[] {
  const ndim = Math.max(a.length, b.length);
  const out = new Array<number>(ndim);
  for (let i = 0; i < ndim; i++) {
    const da = a[a.length - ndim + i] ?? 1;
    const db = b[b.length - ndim + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(`${op}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * For each element of a tensor of `outShape`, the flat index of the element of a tensor of
 * `inShape` broadcast to it. Built once per op call so the loops stay plain array reads;
 * backward reuses it to sum gradients back into the smaller shape.
 */
export function broadcastIndex(outShape: readonly number[], inShape: readonly number[]): Int32Array {
  const ndim = outShape.length;
  const size = sizeOf(outShape);
  const index = new Int32Array(size);
  const inStrides = stridesOf(inShape);
  // Stride 0 along broadcast dims: moving along them stays on the same input element.
  const strides = new Array<number>(ndim).fill(0);
  for (let i = 0; i < inShape.length; i++) {
    const o = ndim - inShape.length + i;
    strides[o] = inShape[i] === 1 ? 0 : inStrides[i];
  }
  const counter = new Array<number>(ndim).fill(0);
  let offset = 0;
  for (let flat = 0; flat < size; flat++) {
    index[flat] = offset;
    for (let d = ndim - 1; d >= 0; d--) {
      counter[d]++;
      offset += strides[d];
      if (counter[d] < outShape[d]) break;
      offset -= strides[d] * counter[d];
      counter[d] = 0;
    }
  }
  return index;
}
