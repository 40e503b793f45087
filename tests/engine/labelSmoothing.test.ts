// Cross-entropy with label smoothing against PyTorch's F.cross_entropy(label_smoothing=ε)
// (tests/fixtures/experiments.json): the loss and the gradient of the logits.
import { describe, expect, it } from 'vitest';
import { crossEntropy, Tensor } from '../../src/engine';
import { expectClose, readFixtureJson, tensorOf } from './fixtures';

interface SmoothingCase {
  label_smoothing: number;
  logits: { shape: number[]; data: number[] };
  targets: number[];
  loss: number;
  grad: { shape: number[]; data: number[] };
}

const { label_smoothing: cases } = readFixtureJson<{ label_smoothing: SmoothingCase[] }>('experiments.json');

describe('crossEntropy with label smoothing matches PyTorch', () => {
  for (const c of cases) {
    it(`ε = ${c.label_smoothing}, batch ${c.targets.length}`, () => {
      const logits = tensorOf(c.logits, true);
      const loss = crossEntropy(logits, c.targets, { labelSmoothing: c.label_smoothing });
      expectClose([loss.item()], [c.loss], 'loss');
      loss.backward();
      expectClose(logits.grad!.data, c.grad.data, 'gradient of the logits');
    });
  }

  it('ε = 0 is the plain loss, and ε outside [0, 1] is refused', () => {
    const logits = Tensor.fromArray([1, 2, 3, 0.5, -1, 2], [2, 3]);
    expect(crossEntropy(logits, [2, 0], { labelSmoothing: 0 }).item()).toBe(crossEntropy(logits, [2, 0]).item());
    expect(() => crossEntropy(logits, [2, 0], { labelSmoothing: 1.5 })).toThrow(/label smoothing must be in \[0, 1\]/);
    expect(() => crossEntropy(logits, [2, 0], { labelSmoothing: Number.NaN })).toThrow(/label smoothing/);
  });
});
