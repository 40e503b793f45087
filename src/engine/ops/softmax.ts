// softmax and logSoftmax along an axis (default the last).
import { result } from '../autograd';
import { logSoftmaxGrad, softmaxAxis, softmaxGrad } from '../kernels/softmax';
import { allocFloat32 } from '../storage';
import type { Tensor } from '../tensor';
import { normalizeAxis, splitAtAxis } from './dims';

export function softmax(x: Tensor, axis = -1): Tensor {
  const layout = splitAtAxis(x.shape, normalizeAxis(axis, x.shape.length, 'softmax'));
  const out = allocFloat32(x.size);
  softmaxAxis(x.data, layout, false, out);
  return result(out, x.shape, 'softmax', [x], (g, gradIn) => {
    const gx = gradIn(0);
    if (gx) softmaxGrad(g, out, layout, gx);
  });
}

export function logSoftmax(x: Tensor, axis = -1): Tensor {
  const layout = splitAtAxis(x.shape, normalizeAxis(axis, x.shape.length, 'logSoftmax'));
  const out = allocFloat32(x.size);
  softmaxAxis(x.data, layout, true, out);
  return result(out, x.shape, 'logSoftmax', [x], (g, gradIn) => {
    const gx = gradIn(0);
    if (gx) logSoftmaxGrad(g, out, layout, gx);
  });
}
