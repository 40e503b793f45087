// Losses, as torch.nn.functional (mean reduction). The fused kernels live in ops/loss.ts.
import { crossEntropy as hardCrossEntropy, type Targets } from '../ops/loss';
import type { Tensor } from '../tensor';

export { nllLoss, type Targets } from '../ops/loss';

export interface CrossEntropyOptions {
  /**
   * PyTorch's `label_smoothing` ε in [0, 1]: the target is (1 − ε) on the true class plus ε
   * spread evenly over all C classes, so the loss is (1 − ε)·CE + ε·mean over classes of −log p.
   */
  labelSmoothing?: number;
}

/**
 * Mean cross-entropy of logits [N, C] against class indices, as torch.nn.functional.cross_entropy.
 * With label smoothing, the smoothing term is composed from logSoftmax and mean (their backward
 * passes give ε·(p − 1/C)/N), beside the fused hard-target loss.
 */
export function crossEntropy(logits: Tensor, targets: Targets, options: CrossEntropyOptions = {}): Tensor {
  const epsilon = options.labelSmoothing ?? 0;
  if (!(epsilon >= 0 && epsilon <= 1)) throw new Error(`crossEntropy: label smoothing must be in [0, 1], got ${epsilon}`);
  const hard = hardCrossEntropy(logits, targets);
  if (epsilon === 0) return hard;
  // mean() over N×C of log p is (1/N)·Σ_rows (1/C)·Σ_classes log p: the smoothing term, negated.
  const smooth = logits.logSoftmax(-1).mean();
  return hard.mul(1 - epsilon).sub(smooth.mul(epsilon));
}
