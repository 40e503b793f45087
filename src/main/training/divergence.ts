// A run whose loss stops being a finite number has diverged: every later step would be NaN
// and the weights would follow. The Trainer checks the loss before backward() and the
// optimizer step, so the weights stay as they were after the last finite step.
//
// An exploded loss counts too (issue 18): a mean cross-entropy above LOSS_EXPLODED means the
// right digits get a probability below float32's smallest normal number (e^-87.3), i.e. 0:
// a plain log(softmax) would already be infinite, and only the log-space loss keeps it a
// number. SGD with lr 5 on the default model gets there within a few steps (its gradient
// norms grow ~100×) but, its ReLUs dying, never reaches NaN: without this, the run would
// go on with a dead network and no word said.

import type { TrainConfig } from '../../shared/contract';

/** −ln(FLT_MIN): a loss above this is a probability for the right digit that float32 rounds to 0. */
export const LOSS_EXPLODED = -Math.log(1.1754943508222875e-38);

export class DivergedError extends Error {
  override name = 'DivergedError';
  private readonly what: string;
  private readonly advice: string;
  /** The float32 detail behind the plain words (shown behind "details"). */
  readonly detail: string;

  constructor(
    /** The step whose loss was not finite (it was not taken). */
    readonly step: number,
    readonly loss: number,
    config: Pick<TrainConfig, 'optimizer'>,
  ) {
    // Plain words first (issue 25); the float32 reason is the detail.
    const what = Number.isFinite(loss) ? `the loss exploded to ${loss.toPrecision(4)} at step ${step}` : `the loss became ${loss} at step ${step}`;
    const cause = `: the learning rate (lr ${config.optimizer.hyper.lr} with ${config.optimizer.type}) is too large for this model.`;
    const advice = `The weights are kept as they were after step ${step - 1}; lower the learning rate and train again, or reset.`;
    super(`${what}${cause} ${advice}`);
    this.what = what + cause;
    this.advice = advice;
    this.detail = Number.isFinite(loss)
      ? `A loss above ${LOSS_EXPLODED.toFixed(1)} means the right digits got a probability below e^-87, which is zero in float32: only the log-space loss still gives a number, and the next steps would make it infinite.`
      : `A loss of ${loss} makes every later step ${loss} too, and the weights would follow.`;
  }

  /** The message with where it started (a sentence from the health monitor's diagnosis) before the advice. */
  withOrigin(origin: string): string {
    return `${this.what} ${origin} ${this.advice}`;
  }
}

/** Throws DivergedError when `loss`, the loss of step `step`, is NaN, infinite, or beyond LOSS_EXPLODED. */
export function checkFiniteLoss(loss: number, step: number, config: Pick<TrainConfig, 'optimizer'>): void {
  if (!Number.isFinite(loss) || loss > LOSS_EXPLODED) throw new DivergedError(step, loss, config);
}
