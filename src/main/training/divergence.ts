// A run whose loss stops being a finite number has diverged: every later step would be NaN
// and the weights would follow. The Trainer checks the loss before backward() and the
// optimizer step, so the weights stay as they were after the last finite step.

import type { TrainConfig } from '../../shared/contract';

export class DivergedError extends Error {
  override name = 'DivergedError';

  constructor(
    /** The step whose loss was not finite (it was not taken). */
    readonly step: number,
    readonly loss: number,
    config: Pick<TrainConfig, 'optimizer'>,
  ) {
    super(
      `the loss became ${loss} at step ${step} (lr ${config.optimizer.hyper.lr} with ${config.optimizer.type}): the learning rate is too large for this model. ` +
        `The weights are kept as they were after step ${step - 1}; lower the learning rate and train again, or reset.`,
    );
  }
}

/** Throws DivergedError when `loss`, the loss of step `step`, is NaN or infinite. */
export function checkFiniteLoss(loss: number, step: number, config: Pick<TrainConfig, 'optimizer'>): void {
  if (!Number.isFinite(loss)) throw new DivergedError(step, loss, config);
}
