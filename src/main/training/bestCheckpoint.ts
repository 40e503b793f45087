// Early stopping's memory: the weights (and optimizer state) of the evaluation with the lowest
// test loss so far, and how many evaluations have passed since without beating it. The copy is
// taken when the evaluation happens, so restoring it gives those weights bit for bit.
import type { Evaluation } from '../../shared/contract';
import type { Checkpoint } from './trainer';

export interface BestSoFar {
  evaluation: Evaluation;
  checkpoint: Checkpoint;
}

export class BestCheckpoint {
  private best: BestSoFar | null = null;
  /** Evaluations at later steps that did not improve on the best. */
  private sinceBest = 0;
  private lastStep = -1;

  get current(): BestSoFar | null {
    return this.best;
  }

  /** Evaluations since the best one that did not beat it (an evaluation again at the same step does not count). */
  get evaluationsWithoutImprovement(): number {
    return this.sinceBest;
  }

  /** Takes an evaluation of the live weights; `copy` is called only when they are the best so far. */
  offer(evaluation: Evaluation, copy: () => Checkpoint): void {
    if (evaluation.step === this.lastStep) return;
    this.lastStep = evaluation.step;
    if (this.best === null || evaluation.testLoss < this.best.evaluation.testLoss) {
      this.best = { evaluation, checkpoint: copy() };
      this.sinceBest = 0;
    } else {
      this.sinceBest++;
    }
  }

  /** Whether a run with this patience (evaluations; null = no early stopping) should stop now. */
  shouldStop(patience: number | null): boolean {
    return patience !== null && this.best !== null && this.sinceBest >= patience;
  }

  /** Counts evaluations without improvement from now on (the learner pressed Train again). */
  restartPatience(): void {
    this.sinceBest = 0;
  }

  /** After restoring the best weights: they are the present, nothing has passed since. */
  rewound(): void {
    this.sinceBest = 0;
    this.lastStep = this.best?.evaluation.step ?? -1;
  }
}
