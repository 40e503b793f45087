// A run's checkpoint as the worker sends it to the host: the record, and its final weights
// encoded as a weights file now (the live tensors change with the next step).
import type { RecordedRun } from '../../shared/workerProtocol';
import { encodeWeightsFile } from '../weights/encode';
import type { RunCheckpoint } from './session';

export function recordedRun(checkpoint: RunCheckpoint): RecordedRun {
  const weights = encodeWeightsFile({
    config: checkpoint.config,
    step: checkpoint.step,
    testAccuracy: checkpoint.testAccuracy,
    params: checkpoint.weights,
  });
  return { run: checkpoint.run, weights };
}
