// Early stopping as the settings panel explains it, from the evaluations the charts already
// have: the one with the lowest test loss (the Node side keeps its weights by the same rule:
// strictly lower, the first one wins), and how many came after it without beating it.
import type { EvaluationPoint } from '../../shared/contract';

export interface BestEvaluation {
  best: EvaluationPoint;
  /** Evaluations after the best one (none of them lower). */
  since: number;
}

export function bestEvaluation(evaluations: readonly EvaluationPoint[]): BestEvaluation | null {
  let best: EvaluationPoint | null = null;
  let since = 0;
  for (const e of evaluations) {
    if (best === null || e.testLoss < best.testLoss) {
      best = e;
      since = 0;
    } else if (e.step > best.step) {
      since++;
    }
  }
  return best ? { best, since } : null;
}
