// Batch normalisation over the channel axis (dim 1) of [N, C, ...], as
// torch.nn.functional.batch_norm. In training the batch's mean and biased variance
// normalise, and the running statistics (when given) move towards the batch's, with the
// unbiased variance: running = (1 − momentum)·running + momentum·batch. In evaluation the
// running statistics normalise. The running tensors are updated in place and take no gradient.
import { result } from '../autograd';
import { channelStats, normalize, normalizeGrad, type ChannelLayout } from '../kernels/batchNorm';
import { allocFloat32 } from '../storage';
import type { Tensor } from '../tensor';
import { formatShape, sizeOf } from './dims';

export interface BatchNormOptions {
  /** Batch statistics (true) or the running ones (false, the default as in F.batch_norm). */
  training?: boolean;
  /** Weight of the batch in the running average; default 0.1. */
  momentum?: number;
  /** Added to the variance; default 1e-5. */
  eps?: number;
}

export function batchNorm(x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, weight: Tensor | null = null, bias: Tensor | null = null, options: BatchNormOptions = {}): Tensor {
  const training = options.training ?? false;
  const momentum = options.momentum ?? 0.1;
  const eps = options.eps ?? 1e-5;
  const layout = channelLayout(x);
  const { c } = layout;
  for (const [name, t] of [
    ['runningMean', runningMean],
    ['runningVar', runningVar],
    ['weight', weight],
    ['bias', bias],
  ] as const) {
    if (t && (t.shape.length !== 1 || t.shape[0] !== c)) {
      throw new Error(`batchNorm: ${name} must be [${c}] for input ${formatShape(x.shape)}, got ${formatShape(t.shape)}`);
    }
  }
  if (!(eps > 0) || !Number.isFinite(eps)) throw new Error(`batchNorm: eps must be a positive number, got ${eps}`);
  if (!(momentum >= 0 && momentum <= 1)) throw new Error(`batchNorm: momentum must be in [0, 1], got ${momentum}`);
  if (!!runningMean !== !!runningVar) throw new Error('batchNorm: give both running statistics or neither');

  const mean = new Float64Array(c);
  const invstd = new Float64Array(c);
  if (training) {
    const count = layout.n * layout.s;
    if (count <= 1) throw new Error(`batchNorm: expected more than 1 value per channel in training, got input ${formatShape(x.shape)}`);
    const variance = new Float64Array(c);
    channelStats(x.data, layout, mean, variance);
    for (let ci = 0; ci < c; ci++) invstd[ci] = 1 / Math.sqrt(variance[ci] + eps);
    if (runningMean && runningVar) {
      const rm = runningMean.data;
      const rv = runningVar.data;
      const unbias = count / (count - 1);
      for (let ci = 0; ci < c; ci++) {
        rm[ci] = (1 - momentum) * rm[ci] + momentum * mean[ci];
        rv[ci] = (1 - momentum) * rv[ci] + momentum * variance[ci] * unbias;
      }
    }
  } else {
    if (!runningMean || !runningVar) throw new Error('batchNorm: running statistics are needed in evaluation (training: false)');
    for (let ci = 0; ci < c; ci++) {
      mean[ci] = runningMean.data[ci];
      invstd[ci] = 1 / Math.sqrt(runningVar.data[ci] + eps);
    }
  }

  const out = allocFloat32(x.size);
  const w = weight ? weight.data : null;
  normalize(x.data, layout, mean, invstd, w, bias ? bias.data : null, out);
  const inputs = [x, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
  return result(out, x.shape, 'batchNorm', inputs, (g, gradIn) => {
    const dw = weight ? gradIn(1) : null;
    const db = bias ? gradIn(weight ? 2 : 1) : null;
    normalizeGrad(g, x.data, layout, mean, invstd, w, training, gradIn(0), dw, db);
  });
}

function channelLayout(x: Tensor): ChannelLayout {
  if (x.shape.length < 2) throw new Error(`batchNorm: expected input [N, C, ...], got ${formatShape(x.shape)}`);
  return { n: x.shape[0], c: x.shape[1], s: sizeOf(x.shape.slice(2)) };
}
