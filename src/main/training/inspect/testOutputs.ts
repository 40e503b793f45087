// Every test image's answer (its guess and its ten probabilities) as one evaluation gave them,
// and pages of the test set filtered and ordered over them: the gallery behind the confusion
// matrix's cells, "most confidently wrong", and the test set page by page.
import { stepScope, type Tensor } from '../../../engine';
import { gatherBatch } from '../../../engine/data/batch';
import { MNIST_CLASSES, MNIST_PIXELS, type MnistSet } from '../../../engine/data/mnist';
import { matchesFilter, type TestImage, type TestPage, type TestPageQuery } from '../../../shared/inspect';

export interface TestOutputs {
  /** The step of the weights that answered. */
  step: number;
  /** The guess for each test image. */
  predicted: Uint8Array;
  /** count × 10 probabilities, row-major. */
  probabilities: Float32Array;
}

export function createTestOutputs(count: number, step: number): TestOutputs {
  return { step, predicted: new Uint8Array(count), probabilities: new Float32Array(count * MNIST_CLASSES) };
}

/** The softmax of row `row` of logits [N, 10], as the answer for test image `index`. */
export function writeProbabilities(logits: Float32Array, row: number, outputs: TestOutputs, index: number, predicted: number): void {
  const base = row * MNIST_CLASSES;
  const top = logits[base + predicted];
  let sum = 0;
  for (let c = 0; c < MNIST_CLASSES; c++) sum += Math.exp(logits[base + c] - top);
  for (let c = 0; c < MNIST_CLASSES; c++) outputs.probabilities[index * MNIST_CLASSES + c] = Math.exp(logits[base + c] - top) / sum;
  outputs.predicted[index] = predicted;
}

/** The probability of the guess: how sure the model is of its answer. */
export function confidenceOf(outputs: TestOutputs, index: number): number {
  return outputs.probabilities[index * MNIST_CLASSES + outputs.predicted[index]];
}

/**
 * The images matching the query's filter, in its order (by index; or most confident first,
 * ties by index), then the page [offset, offset + limit) of them with their pixels.
 */
export function testPage(outputs: TestOutputs, test: MnistSet, query: TestPageQuery): TestPage {
  const matching: number[] = [];
  for (let i = 0; i < test.count; i++) if (matchesFilter(query.filter, test.labels[i], outputs.predicted[i])) matching.push(i);
  if (query.order === 'confidence') {
    const confidence = new Float32Array(test.count);
    for (const i of matching) confidence[i] = confidenceOf(outputs, i);
    matching.sort((a, b) => confidence[b] - confidence[a] || a - b);
  }
  const images: TestImage[] = matching.slice(query.offset, query.offset + query.limit).map((index) => ({
    index,
    label: test.labels[index],
    predicted: outputs.predicted[index],
    probabilities: Array.from(outputs.probabilities.subarray(index * MNIST_CLASSES, (index + 1) * MNIST_CLASSES)),
    pixels: Uint8Array.from(test.images.subarray(index * MNIST_PIXELS, (index + 1) * MNIST_PIXELS)),
  }));
  return { step: outputs.step, total: matching.length, offset: query.offset, images };
}

interface Forward {
  forward(x: Tensor): Tensor;
}

/**
 * Every test image's answer from `model` (in evaluation mode, without gradients), as an evaluation keeps them.
 * `checkpoint` is called before each chunk (it throws to stop: the request was called off).
 */
export function computeTestOutputs(model: Forward, test: MnistSet, step: number, checkpoint: () => void = () => undefined): TestOutputs {
  const outputs = createTestOutputs(test.count, step);
  const chunk = 1000;
  // One step scope per chunk, as the evaluation does (the answers are copied out inside it).
  for (let start = 0; start < test.count; start += chunk) {
    checkpoint();
    stepScope(() => {
      const size = Math.min(chunk, test.count - start);
      const { x } = gatherBatch(
        test,
        Int32Array.from({ length: size }, (_, i) => start + i),
      );
      const logits = model.forward(x).data;
      for (let row = 0; row < size; row++) {
        let best = 0;
        for (let c = 1; c < MNIST_CLASSES; c++) if (logits[row * MNIST_CLASSES + c] > logits[row * MNIST_CLASSES + best]) best = c;
        writeProbabilities(logits, row, outputs, start + row, best);
      }
    });
  }
  return outputs;
}
