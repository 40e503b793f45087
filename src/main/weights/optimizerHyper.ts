// The optimizer hyperparameters a weights file brings (`optim.hyper`) must be ones the app
// itself would train with: known names for the optimizer, each within the shared ranges
// (shared/settingRanges.ts). An lr of 1e30 is finite, and would turn every loss into NaN.

import { OPTIMIZER_HYPER_RANGES, inRange, rangeText } from '../../shared/settingRanges';
import { META, WeightsFileError } from './format';

export function checkOptimizerHyper(kind: 'adam' | 'sgd', hyper: Record<string, number>): void {
  const ranges = OPTIMIZER_HYPER_RANGES[kind];
  for (const [key, value] of Object.entries(hyper)) {
    if (!Object.hasOwn(ranges, key)) {
      throw new WeightsFileError(
        `metadata ${META.optimHyper}: unknown ${kind} hyperparameter ${JSON.stringify(key.slice(0, 40))} (known: ${Object.keys(ranges).join(', ')})`,
      );
    }
    if (!inRange(value, ranges[key])) {
      throw new WeightsFileError(`metadata ${META.optimHyper}: ${key} must be ${rangeText(ranges[key])} (got ${value})`);
    }
  }
}
