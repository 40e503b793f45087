// Checks a TrainConfig before a Trainer acts on it: a bad value (a NaN learning rate, a
// batch of 0) would otherwise surface many steps later as NaN weights or an endless loop.

import type { TrainConfig } from '../../shared/contract';

export function checkTrainConfig(config: TrainConfig): void {
  const problems: string[] = [];
  const positiveInteger = (name: keyof TrainConfig, value: unknown) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) problems.push(`${name} must be a positive integer, got ${String(value)}`);
  };
  positiveInteger('hidden', config.hidden);
  positiveInteger('batchSize', config.batchSize);
  positiveInteger('evalEvery', config.evalEvery);
  if (typeof config.lr !== 'number' || !Number.isFinite(config.lr) || config.lr <= 0) problems.push(`lr must be a positive number, got ${String(config.lr)}`);
  if (config.optimizer !== 'adam' && config.optimizer !== 'sgd') problems.push(`optimizer must be "adam" or "sgd", got ${JSON.stringify(config.optimizer)}`);
  if (typeof config.momentum !== 'number' || !(config.momentum >= 0 && config.momentum < 1)) {
    problems.push(`momentum must be in [0, 1), got ${String(config.momentum)}`);
  }
  if (config.epochs !== null && (typeof config.epochs !== 'number' || !Number.isFinite(config.epochs) || config.epochs <= 0)) {
    problems.push(`epochs must be a positive number or null, got ${String(config.epochs)}`);
  }
  if (typeof config.seed !== 'number' || !Number.isSafeInteger(config.seed)) problems.push(`seed must be an integer, got ${String(config.seed)}`);
  if (problems.length > 0) throw new Error(`invalid training settings: ${problems.join('; ')}`);
}
