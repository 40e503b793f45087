// Reading files written by format version 1 (Digitrain before ModelSpec): the architecture
// was `{"type":"mlp","layers":[784, hidden, 10]}` and the settings were flat
// (`hidden`, `lr`, `optimizer`, `momentum`, …). They load as the same network and settings.
import type { TrainConfig } from '../../shared/contract';
import { MNIST_CLASSES, MNIST_PIXELS } from '../../shared/mnist';
import { isRecord } from '../../shared/model/settings';
import { mlpSpec, type ModelSpec } from '../../shared/model/spec';
import { hyperNamesOf, isOptimizerName } from '../../shared/optimizers';
import { WeightsFileError } from './format';

export function legacyModel(value: unknown, text: string): ModelSpec {
  const layers = isRecord(value) ? value.layers : undefined;
  if (!isRecord(value) || value.type !== 'mlp' || !Array.isArray(layers) || layers.length !== 3 || !layers.every((n) => Number.isInteger(n) && n > 0)) {
    throw new WeightsFileError(`metadata architecture ${text.slice(0, 80)} is not {"type":"mlp","layers":[in, hidden, out]}`);
  }
  const [input, hidden, output] = layers as number[];
  if (input !== MNIST_PIXELS || output !== MNIST_CLASSES) {
    throw new WeightsFileError(`the file's architecture is ${input}-${hidden}-${output}; Digitrain trains models of ${MNIST_PIXELS} pixels and ${MNIST_CLASSES} classes`);
  }
  return mlpSpec(hidden);
}

/** Version 1's flat settings as today's: `optimizer` + `lr` + `momentum` become `{ type, hyper }`; `hidden` is the model's. */
export function legacySettings(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['batchSize', 'epochs', 'seed', 'evalEvery'] satisfies (keyof TrainConfig)[]) {
    if (Object.hasOwn(value, key)) out[key] = value[key];
  }
  const type = Object.hasOwn(value, 'optimizer') ? value.optimizer : undefined;
  if (isOptimizerName(type)) {
    const hyper: Record<string, unknown> = {};
    for (const name of hyperNamesOf(type)) if (Object.hasOwn(value, name)) hyper[name] = value[name];
    out.optimizer = { type, hyper };
  } else if (type !== undefined) {
    out.optimizer = { type };
  }
  return out;
}
