// Putting validated weights into a training run. Split in two so that nothing can fail
// once the live run is touched: `planLoad` checks the last thing decodeWeightsFile cannot
// (that the engine's optimizer accepts the state) on scratch objects and works out the
// settings; `applyLoad` then only copies.

import type { TrainConfig } from '../../shared/contract';
import type { Tensor } from '../../engine';
import { createOptimizer, type Trainer } from '../training/trainer';
import type { LoadedWeights } from './decode';
import { WeightsFileError } from './format';
import { loadedStateDict } from './stateDict';

export interface LoadPlan {
  /** The settings the run continues with: the file's hidden size, and its optimizer if it has one. */
  config: TrainConfig;
  stateDict: Map<string, Tensor>;
  step: number;
}

export function planLoad(loaded: LoadedWeights, current: TrainConfig): LoadPlan {
  const config: TrainConfig = { ...current, hidden: loaded.hidden };
  const stateDict = loadedStateDict(loaded);
  const state = loaded.optimizer;
  if (state) {
    // The engine has AdamW; the app's settings do not offer it yet (decode refuses such files).
    if (state.kind === 'adamw') throw new WeightsFileError('the file holds an AdamW state, which Digitrain cannot train with yet');
    config.optimizer = state.kind;
    if (state.hyper.lr !== undefined) config.lr = state.hyper.lr;
    if (state.kind === 'sgd' && state.hyper.momentum !== undefined) config.momentum = state.hyper.momentum;
    try {
      createOptimizer([...stateDict.values()], config).loadStateDict(state);
    } catch (error) {
      throw new WeightsFileError(`the optimizer state does not fit: ${(error as Error).message}`);
    }
    if (!(config.lr > 0) || !(config.momentum >= 0 && config.momentum < 1)) {
      throw new WeightsFileError(`the optimizer state has lr ${config.lr} and momentum ${config.momentum}, which Digitrain cannot train with`);
    }
  }
  const step = loaded.metadata.step ?? state?.step ?? 0;
  return { config, stateDict, step };
}

/** `trainer` must be fresh from `plan.config` (same hidden size and optimizer kind). */
export function applyLoad(trainer: Trainer, loaded: LoadedWeights, plan: LoadPlan): void {
  trainer.model.loadStateDict(plan.stateDict);
  if (loaded.optimizer) trainer.optimizer.loadStateDict(loaded.optimizer);
  trainer.step = plan.step;
  trainer.samplesSeen = plan.step * (loaded.metadata.hyperparameters.batchSize ?? plan.config.batchSize);
}

