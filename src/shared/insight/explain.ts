// Why the model answers what it answers for one input (issue 18): the answer, the saliency
// map and, for dense models, each hidden unit's share of the winning logit. Computed in the
// training worker (main/training/explain.ts) with the engine's autograd.
import type { Classification } from '../contract';

/** One hidden unit's contribution to the winning class's logit: its activation × its outgoing weight. */
export interface UnitContribution {
  unit: number;
  activation: number;
  weight: number;
  contribution: number;
}

export interface Explanation {
  /** The answer for this input, as classify() gives it. */
  classification: Classification;
  /** The class the saliency and contributions are about (the predicted one). */
  target: number;
  /** d logit[target] / d pixel, 784 values, row-major 28×28. */
  saliency: Float32Array;
  /**
   * For a model whose last layer is a linear layer on a vector of hidden units (dense models):
   * that layer's name, the units largest contribution first (at most MAX_CONTRIBUTIONS, then the most
   * negative ones), the bias, and the logit they add up to. Null for other models.
   */
  contributions: {
    layer: string;
    /** The layer whose outputs the units are. */
    hiddenLayer: string;
    units: number;
    top: UnitContribution[];
    bottom: UnitContribution[];
    bias: number;
    logit: number;
  } | null;
}

/** Contributions listed, largest first, and the most negative ones listed after them. */
export const MAX_CONTRIBUTIONS = 12;
export const MAX_NEGATIVE_CONTRIBUTIONS = 4;
