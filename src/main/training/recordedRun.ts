// A run's checkpoint as the worker sends it to the host: the record, and its final weights
// encoded as a weights file now (the live tensors change with the next step).
import type { RecordedRun } from '../../shared/workerProtocol';
import { encodeWeightsFile } from '../weights/encode';
import type { RunCheckpoint } from './session';

export function recordedRun(checkpoint: RunCheckpoint): RecordedRun {
  const info = { config: checkpoint.config, step: checkpoint.step, testAccuracy: checkpoint.testAccuracy, params: checkpoint.weights };
  let weights: Uint8Array;
  try {
    // With the optimizer's state and the random stream: a reopened run trains on as if it never stopped.
    weights = encodeWeightsFile({ ...info, optimizer: checkpoint.optimizer, random: checkpoint.random });
  } catch {
    // An optimizer state that cannot be saved (a diverged run's moments are not finite): the weights alone still are the run's.
    weights = encodeWeightsFile(info);
  }
  return { run: checkpoint.run, weights };
}
