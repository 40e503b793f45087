// Runs to keep in tests: records with real-looking curves and small weights files.
import { defaultConfig } from '../../src/shared/contract';
import { mlpSpec } from '../../src/shared/model/spec';
import type { RunToSave } from '../../src/main/runs/runStore';
import { encodeWeightsFile } from '../../src/main/weights/encode';
import { makeParams } from '../weights/helpers';

let counter = 0;

/** A fresh run id (letters and digits, as the Node side makes them). */
export function runId(): string {
  counter++;
  return `test${Date.now().toString(36)}${counter.toString(36).padStart(4, '0')}`;
}

export function makeRun(patch: Partial<RunToSave> = {}, points = 50): RunToSave {
  const step = Array.from({ length: points }, (_, i) => (i + 1) * 10);
  const config = { ...defaultConfig(), model: mlpSpec(4) };
  return {
    id: runId(),
    source: 'app',
    started: new Date(Date.UTC(2026, 0, 1, 0, 0, counter)).toISOString(),
    config,
    settings: [{ step: 1, config }],
    origin: null,
    step: points * 10,
    steps: points * 10,
    epoch: (points * 10 * 32) / 60000,
    seconds: 12.5,
    bestTestAccuracy: 0.9,
    bestStep: points * 10,
    finalTestAccuracy: 0.89,
    finalTestLoss: 0.4,
    history: { step, loss: step.map((s) => 2.3 / Math.sqrt(s)), accuracy: step.map((s) => Math.min(0.99, s / 600)) },
    timeline: { step: [10, points * 10], epoch: [0.005, (points * 10 * 32) / 60000], seconds: [0.1, 12.5] },
    evaluations: [{ step: points * 10, testLoss: 0.4, testAccuracy: 0.89 }],
    confusion: Array.from({ length: 100 }, (_, i) => (i % 11 === 0 ? 90 : 1)),
    ...patch,
  };
}

/** A weights file of the 784-4-10 MLP (about 13 kB). */
export function smallWeights(): Uint8Array {
  return encodeWeightsFile({ params: makeParams(4), config: { ...defaultConfig(), model: mlpSpec(4) }, step: 500, testAccuracy: 0.89 });
}
