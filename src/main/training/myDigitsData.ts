// The learner's digits as the host sends them to the worker (checked where they entered the
// Node side), turned into a set of the engine's MNIST shape so the same gather reads both.
import { MNIST_COLS, MNIST_ROWS } from '../../engine/data/mnist';
import type { WorkerCommandArgs } from '../../shared/workerProtocol';
import type { MyDigitsData } from './session';

export function myDigitsData({ ids, labels, pixels }: WorkerCommandArgs<'setMyDigits'>): MyDigitsData | null {
  if (ids.length === 0) return null;
  return {
    ids: [...ids],
    set: { images: pixels, labels: Uint8Array.from(labels), count: ids.length, rows: MNIST_ROWS, cols: MNIST_COLS },
  };
}
