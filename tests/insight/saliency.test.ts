// Issue 18, item 3: the saliency map is the gradient of the predicted class's logit with
// respect to the input pixels; checked against central finite differences on small dense and
// convolutional models (tanh, so the function is smooth), and the dense contributions add up.
import { describe, expect, it } from 'vitest';
import { Rng, Tensor, noGrad } from '../../src/engine';
import { SpecModel } from '../../src/main/model/specModel';
import { explainInput } from '../../src/main/training/explain';
import type { ModelSpec } from '../../src/shared/model/spec';

const DENSE: ModelSpec = {
  input: [784],
  layers: [
    { name: 'l1', type: 'linear', out: 12, bias: true },
    { name: 'act', type: 'tanh' },
    { name: 'l2', type: 'linear', out: 10, bias: true },
  ],
} as ModelSpec;

const CONV: ModelSpec = {
  input: [1, 28, 28],
  layers: [
    { name: 'conv1', type: 'conv2d', out: 3, kernel: 3, stride: 1, padding: 1, bias: true },
    { name: 'act1', type: 'tanh' },
    { name: 'pool1', type: 'avgpool2d', kernel: 2, stride: 2, padding: 0 },
    { name: 'flat', type: 'flatten' },
    { name: 'fc', type: 'linear', out: 10, bias: true },
  ],
} as ModelSpec;

function digitLike(seed: number): Float32Array {
  const rng = new Rng(seed);
  const x = new Float32Array(784);
  for (let y = 6; y < 22; y++) for (let c = 10; c < 18; c++) x[y * 28 + c] = 0.3 + 0.7 * rng.next();
  return x;
}

function logit(model: SpecModel, pixels: Float32Array, cls: number): number {
  model.eval();
  return noGrad(() => model.forward(new Tensor(pixels, [1, 784])).data[cls]);
}

describe.each([
  ['dense', DENSE],
  ['convolutional', CONV],
])('saliency of a %s model', (_name, spec) => {
  it('equals a central finite-difference estimate of d logit / d pixel', () => {
    const model = new SpecModel(spec, new Rng(3));
    const pixels = digitLike(5);
    const explanation = explainInput(model, pixels);
    const cls = explanation.target;
    expect(cls).toBe(explanation.classification.predicted);
    const eps = 1e-2;
    const rng = new Rng(9);
    const probe = [0, 27, 14 * 28 + 14, 10 * 28 + 12, 20 * 28 + 17, ...Array.from({ length: 25 }, () => Math.floor(rng.next() * 784))];
    let maxGrad = 0;
    for (const v of explanation.saliency) maxGrad = Math.max(maxGrad, Math.abs(v));
    expect(maxGrad).toBeGreaterThan(0);
    for (const i of probe) {
      const plus = Float32Array.from(pixels);
      const minus = Float32Array.from(pixels);
      plus[i] += eps;
      minus[i] -= eps;
      const estimate = (logit(model, plus, cls) - logit(model, minus, cls)) / (2 * eps);
      expect(Math.abs(explanation.saliency[i] - estimate)).toBeLessThan(2e-3 * maxGrad + 1e-4);
    }
  });

  it("leaves the parameters' gradients and the training mode as they were", () => {
    const model = new SpecModel(spec, new Rng(3));
    const marker = new Tensor(new Float32Array(model.parameters()[0].data.length).fill(7), model.parameters()[0].shape);
    model.parameters()[0].grad = marker;
    model.train();
    explainInput(model, digitLike(1));
    expect(model.parameters()[0].grad).toBe(marker);
    expect(
      model
        .parameters()
        .slice(1)
        .every((p) => p.grad === null),
    ).toBe(true);
    expect(model.training).toBe(true);
  });
});

describe('contributions of the hidden units (dense models)', () => {
  it('are activation × outgoing weight, largest first, and add up to the logit with the bias', () => {
    const model = new SpecModel(DENSE, new Rng(4));
    const pixels = digitLike(2);
    const { contributions, target, classification } = explainInput(model, pixels);
    expect(contributions).not.toBeNull();
    const c = contributions!;
    expect(c.layer).toBe('l2');
    expect(c.hiddenLayer).toBe('act');
    const hidden = classification.activations.find((a) => a.name === 'act')!.data;
    const w = model.stateDict().get('l2.weight')!.data;
    let total = model.stateDict().get('l2.bias')!.data[target];
    for (let j = 0; j < 12; j++) total += hidden[j] * w[target * 12 + j];
    expect(c.logit).toBeCloseTo(total, 4);
    expect(c.logit).toBeCloseTo(logit(model, pixels, target), 4);
    for (const u of [...c.top, ...c.bottom]) expect(u.contribution).toBeCloseTo(hidden[u.unit] * w[target * 12 + u.unit], 5);
    for (let k = 1; k < c.top.length; k++) expect(c.top[k - 1].contribution).toBeGreaterThanOrEqual(c.top[k].contribution);
    expect(c.top.every((u) => u.contribution > 0) && c.bottom.every((u) => u.contribution < 0)).toBe(true);
  });

  it('are not given for a convolutional model', () => {
    expect(explainInput(new SpecModel(CONV, new Rng(1)), digitLike(1)).contributions).toBeNull();
  });
});
