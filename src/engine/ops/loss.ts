// Mean classification losses: crossEntropy (fused logSoftmax + nll) and nllLoss.
// Targets are class indices; they are checked before anything is computed.
import { isGradEnabled, result } from '../autograd';
import { fusedKernels } from '../kernels/fused';
import { nllGrad, nllRows } from '../kernels/loss';
import { spanRecorder } from '../profile';
import { allocFloat32, allocUninitialized } from '../storage';
import type { Tensor } from '../tensor';
import { formatShape } from './dims';

export type Targets = Int32Array | readonly number[];

function checkTargets(x: Tensor, targets: Targets, op: string): Int32Array {
  if (x.shape.length !== 2) throw new Error(`${op}: expected input [N, C], got ${formatShape(x.shape)}`);
  const [n, c] = x.shape;
  if (targets.length !== n) throw new Error(`${op}: ${targets.length} targets for a batch of ${n}`);
  if (n === 0) throw new Error(`${op}: empty batch`);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const t = targets[i];
    if (!Number.isInteger(t) || t < 0 || t >= c) {
      throw new Error(`${op}: target ${t} at position ${i} is not a class index in [0, ${c})`);
    }
    out[i] = t;
  }
  return out;
}

/**
 * Mean cross-entropy of logits [N, C] against class indices, as torch.nn.functional.cross_entropy.
 * Fused: the forward pass also computes the gradient (softmax − onehot) / N, which the
 * backward only scales by the upstream gradient.
 */
export function crossEntropy(logits: Tensor, targets: Targets): Tensor {
  const t = checkTargets(logits, targets, 'crossEntropy');
  const [n, c] = logits.shape;
  const rec = spanRecorder(); // `npm run bench -- --profile` (profile.ts); null unless the bench installed one
  rec?.begin('loss.forward');
  const dlogits = logits.requiresGrad && isGradEnabled() ? allocUninitialized(n * c) : null;
  const out = allocFloat32(1);
  out[0] = fusedKernels().crossEntropy(logits.data, t, n, c, dlogits);
  rec?.end();
  return result(out, [], 'crossEntropy', [logits], (g, gradIn) => {
    const r = spanRecorder();
    r?.begin('loss.backward');
    const gx = gradIn(0);
    if (gx && dlogits) fusedKernels().addScaled(dlogits, g[0], gx);
    r?.end();
  });
}

/** Mean negative log-likelihood of log-probabilities [N, C], as torch.nn.functional.nll_loss. */
export function nllLoss(logProbs: Tensor, targets: Targets): Tensor {
  const t = checkTargets(logProbs, targets, 'nllLoss');
  const [n, c] = logProbs.shape;
  const out = allocFloat32(1);
  out[0] = nllRows(logProbs.data, t, n, c);
  return result(out, [], 'nllLoss', [logProbs], (g, gradIn) => {
    const gx = gradIn(0);
    if (gx) nllGrad(t, n, c, g[0] / n, gx);
  });
}
