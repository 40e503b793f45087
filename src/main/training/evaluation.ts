// The full test-set evaluation: loss, accuracy, confusion matrix, per-class accuracy and
// a fixed gallery of sample predictions for the UI.

import { crossEntropy, noGrad, stepScope, type Tensor } from '../../engine';
import { gatherBatch } from '../../engine/data/batch';
import { MNIST_CLASSES, MNIST_PIXELS, type MnistSet } from '../../engine/data/mnist';
import type { Evaluation, SamplePrediction } from '../../shared/contract';
import { writeProbabilities, type TestOutputs } from './inspect/testOutputs';
import { MAX_EVAL_CHUNK } from '../../shared/model/cost';

/** Examples per forward pass for a model that does not say (the most any model gets: shared/model/cost.ts evalChunk sizes it to the model). */
export const EVAL_CHUNK = MAX_EVAL_CHUNK;
export const SAMPLE_COUNT = 48;

export interface Classifier {
  forward(x: Tensor): Tensor;
}

/** The same 48 test images every time, spread evenly over the set so that all digits show up. */
export function sampleIndices(count: number): number[] {
  const n = Math.min(SAMPLE_COUNT, count);
  return Array.from({ length: n }, (_, i) => Math.floor((i * count) / n));
}

/**
 * With `outputs` (sized for `test`), every image's probabilities and guess are kept there too (the gallery pages through them).
 * `chunk`: images per forward pass, from the model's cost (evalChunk) so that its activations fit the memory budget.
 */
export function evaluateClassifier(model: Classifier, test: MnistSet, step: number, outputs?: TestOutputs, chunk = EVAL_CHUNK): Evaluation {
  if (test.count === 0) throw new Error('evaluate: the test set is empty');
  const confusion = new Array<number>(MNIST_CLASSES * MNIST_CLASSES).fill(0);
  const wanted = new Set(sampleIndices(test.count));
  const samples: SamplePrediction[] = [];
  let lossSum = 0;

  noGrad(() => {
    // One step scope per chunk: its activations live in the arena the training steps use.
    for (let start = 0; start < test.count; start += chunk)
      stepScope(() => {
        const size = Math.min(chunk, test.count - start);
        const indices = Int32Array.from({ length: size }, (_, i) => start + i);
        const { x, y } = gatherBatch(test, indices);
        const logits = model.forward(x);
        lossSum += crossEntropy(logits, y).item() * size;
        const values = logits.data;
        for (let row = 0; row < size; row++) {
          const { predicted, confidence } = predictRow(values, row);
          confusion[y[row] * MNIST_CLASSES + predicted]++;
          const index = start + row;
          if (outputs) writeProbabilities(logits.data, row, outputs, index, predicted);
          if (wanted.has(index)) {
            samples.push({
              index,
              label: y[row],
              predicted,
              confidence,
              // A copy: the event is posted across threads, and a view would drag the whole set along.
              pixels: Uint8Array.from(test.images.subarray(index * MNIST_PIXELS, (index + 1) * MNIST_PIXELS)),
            });
          }
        }
      });
  });

  let correct = 0;
  const perClassAccuracy: number[] = [];
  for (let label = 0; label < MNIST_CLASSES; label++) {
    let total = 0;
    for (let p = 0; p < MNIST_CLASSES; p++) total += confusion[label * MNIST_CLASSES + p];
    const hits = confusion[label * MNIST_CLASSES + label];
    correct += hits;
    perClassAccuracy.push(total === 0 ? 0 : hits / total);
  }
  return { step, testLoss: lossSum / test.count, testAccuracy: correct / test.count, confusion, perClassAccuracy, samples };
}

/** Arg-max class of one row of logits [N, 10] and its softmax probability. */
export function predictRow(logits: Float32Array, row: number): { predicted: number; confidence: number } {
  const base = row * MNIST_CLASSES;
  let predicted = 0;
  for (let c = 1; c < MNIST_CLASSES; c++) if (logits[base + c] > logits[base + predicted]) predicted = c;
  const top = logits[base + predicted];
  let denominator = 0;
  for (let c = 0; c < MNIST_CLASSES; c++) denominator += Math.exp(logits[base + c] - top);
  return { predicted, confidence: 1 / denominator };
}
