// sum, mean, max over one axis or over everything, with keepdim; argmax (no gradient).
import { result } from '../autograd';
import { maxAxis, maxAxisGrad, spreadAxisGrad, sumAxis, type AxisLayout } from '../kernels/reduce';
import { allocFloat32 } from '../storage';
import type { Tensor } from '../tensor';
import { formatShape, normalizeAxis, splitAtAxis } from './dims';

interface Reduction {
  layout: AxisLayout;
  shape: number[];
}

/** The [outer, dim, inner] view and the output shape of reducing `axis` (all axes when undefined). */
function planReduction(x: Tensor, axis: number | undefined, keepdim: boolean, op: string): Reduction {
  if (axis === undefined) {
    return { layout: { outer: 1, dim: x.size, inner: 1 }, shape: keepdim ? x.shape.map(() => 1) : [] };
  }
  const ax = normalizeAxis(axis, x.shape.length, op);
  const shape = [...x.shape];
  if (keepdim) shape[ax] = 1;
  else shape.splice(ax, 1);
  return { layout: splitAtAxis(x.shape, ax), shape };
}

export function sum(x: Tensor, axis?: number, keepdim = false): Tensor {
  return sumOrMean(x, axis, keepdim, 'sum');
}

export function mean(x: Tensor, axis?: number, keepdim = false): Tensor {
  return sumOrMean(x, axis, keepdim, 'mean');
}

function sumOrMean(x: Tensor, axis: number | undefined, keepdim: boolean, op: 'sum' | 'mean'): Tensor {
  const { layout, shape } = planReduction(x, axis, keepdim, op);
  const scale = op === 'mean' ? 1 / layout.dim : 1;
  const out = allocFloat32(layout.outer * layout.inner);
  sumAxis(x.data, layout, out);
  if (scale !== 1) for (let i = 0; i < out.length; i++) out[i] *= scale;
  return result(out, shape, op, [x], (g, gradIn) => {
    const gx = gradIn(0);
    if (gx) spreadAxisGrad(g, layout, scale, gx);
  });
}

export function max(x: Tensor, axis?: number, keepdim = false): Tensor {
  const { layout, shape } = planReduction(x, axis, keepdim, 'max');
  if (layout.dim === 0) throw new Error(`max: cannot reduce an empty axis of ${formatShape(x.shape)}`);
  const out = allocFloat32(layout.outer * layout.inner);
  const index = new Int32Array(out.length);
  maxAxis(x.data, layout, out, index);
  return result(out, shape, 'max', [x], (g, gradIn) => {
    const gx = gradIn(0);
    if (gx) maxAxisGrad(g, index, layout, gx);
  });
}

/** Index of the maximum along `axis` (over the flattened tensor when undefined). Not differentiable. */
export function argmax(x: Tensor, axis?: number): Int32Array {
  const { layout } = planReduction(x, axis, false, 'argmax');
  if (layout.dim === 0) throw new Error(`argmax: cannot reduce an empty axis of ${formatShape(x.shape)}`);
  const values = new Float32Array(layout.outer * layout.inner);
  const index = new Int32Array(values.length);
  maxAxis(x.data, layout, values, index);
  return index;
}
