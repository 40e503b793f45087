// The worker side of "look inside the network" (issue 18): pages of the test set against the
// evaluation they come from, and a unit's top images, histogram and votes against a direct
// computation with the engine.
import { describe, expect, it } from 'vitest';
import { noGrad, Tensor } from '../../src/engine';
import { fillPixels } from '../../src/engine/data/batch';
import { MNIST_PIXELS, sliceMnist } from '../../src/engine/data/mnist';
import { loadMnist } from '../../src/main/data/loadMnist';
import { Inspector } from '../../src/main/training/inspect/inspector';
import { Trainer, type TrainData } from '../../src/main/training/trainer';
import { defaultConfig, type TrainConfig } from '../../src/shared/contract';
import { validateTestPageQuery, validateUnitQuery, type TestFilter } from '../../src/shared/inspect';
import { mlpSpec, type ModelSpec } from '../../src/shared/model/spec';
import { validateModelSpec } from '../../src/shared/model/validateSpec';

function smallData(trainCount = 2000, testCount = 400): TrainData {
  const { train, test } = loadMnist();
  return { train: sliceMnist(train, 0, trainCount), test: sliceMnist(test, 0, testCount) };
}

const config = (model: ModelSpec): TrainConfig => ({ ...defaultConfig(), model: validateModelSpec(model) });
const anyFilter: TestFilter = { label: null, predicted: null, correct: null };

function trained(model: ModelSpec, steps: number, data = smallData()) {
  const trainer = new Trainer(data, config(model));
  for (let i = 0; i < steps; i++) trainer.trainStep();
  return { trainer, data };
}

/** Every layer's output for every test image, computed directly (eval mode, no gradients). */
function allOutputs(trainer: Trainer, data: TrainData): Tensor[] {
  const pixels = new Float32Array(data.test.count * MNIST_PIXELS);
  fillPixels(
    data.test,
    Int32Array.from({ length: data.test.count }, (_, i) => i),
    pixels,
  );
  trainer.model.eval();
  try {
    return noGrad(() => trainer.model.forwardAll(new Tensor(pixels, [data.test.count, MNIST_PIXELS])));
  } finally {
    trainer.model.train();
  }
}

const sortedDesc = (values: number[]) => [...values].sort((a, b) => b - a);

describe('the gallery (testPage)', () => {
  const { trainer, data } = trained(mlpSpec(16), 60);
  const evaluation = trainer.evaluate();
  const inspector = new Inspector(() => ({ trainer, training: false }));

  it("finds exactly each confusion cell's images, most confident first", () => {
    for (let label = 0; label < 10; label++) {
      for (let predicted = 0; predicted < 10; predicted++) {
        const page = inspector.testPage({ filter: { label, predicted, correct: null }, order: 'confidence', offset: 0, limit: 100 });
        expect(page.total).toBe(evaluation.confusion[label * 10 + predicted]);
        expect(page.step).toBe(evaluation.step);
        for (const image of page.images) {
          expect(image.label).toBe(label);
          expect(image.predicted).toBe(predicted);
        }
        const confidences = page.images.map((i) => i.probabilities[i.predicted]);
        expect(confidences).toEqual(sortedDesc(confidences));
      }
    }
  });

  it('gives each image the probabilities the model gives it', () => {
    const logits = allOutputs(trainer, data).at(-1)!;
    const probabilities = logits.softmax(-1).data;
    const page = inspector.testPage({ filter: anyFilter, order: 'index', offset: 37, limit: 20 });
    expect(page.total).toBe(data.test.count);
    expect(page.images.map((i) => i.index)).toEqual(Array.from({ length: 20 }, (_, i) => 37 + i));
    for (const image of page.images) {
      for (let c = 0; c < 10; c++) expect(image.probabilities[c]).toBeCloseTo(probabilities[image.index * 10 + c], 5);
      expect(image.pixels).toEqual(data.test.images.subarray(image.index * MNIST_PIXELS, (image.index + 1) * MNIST_PIXELS));
    }
  });

  it('pages through the wrong answers, most confidently wrong first, without gaps or repeats', () => {
    const wrong = data.test.count - Math.round(evaluation.testAccuracy * data.test.count);
    const seen: number[] = [];
    let previous = Infinity;
    for (let offset = 0; offset < wrong; offset += 7) {
      const page = inspector.testPage({ filter: { ...anyFilter, correct: false }, order: 'confidence', offset, limit: 7 });
      expect(page.total).toBe(wrong);
      for (const image of page.images) {
        expect(image.predicted).not.toBe(image.label);
        expect(image.probabilities[image.predicted]).toBeLessThanOrEqual(previous);
        previous = image.probabilities[image.predicted];
        seen.push(image.index);
      }
    }
    expect(new Set(seen).size).toBe(wrong);
  });

  it('answers from the last evaluation while training, from the live weights when idle at a new step', () => {
    trainer.trainStep();
    const whileTraining = new Inspector(() => ({ trainer, training: true }));
    expect(whileTraining.testPage({ filter: anyFilter, order: 'index', offset: 0, limit: 1 }).step).toBe(evaluation.step);
    expect(inspector.testPage({ filter: anyFilter, order: 'index', offset: 0, limit: 1 }).step).toBe(trainer.step);
  });
});

describe('the unit inspector (inspectUnit)', () => {
  it("finds a hidden unit's 9 most and least active test images, its histogram and its votes", () => {
    const { trainer, data } = trained(mlpSpec(16), 60);
    const inspector = new Inspector(() => ({ trainer, training: false }));
    const outputs = allOutputs(trainer, data);
    const relu = outputs[1];
    const unit = 5;
    const acts = Array.from({ length: data.test.count }, (_, n) => relu.data[n * 16 + unit]);
    const result = inspector.inspectUnit({ layer: 'l1', unit });
    expect(result.kind).toBe('dense');
    expect(result.units).toBe(16);
    expect(result.readsPixels).toBe(true);
    expect(result.measure).toContain('relu');
    expect(result.top).toHaveLength(9);
    expect(result.top.map((i) => i.activation)).toEqual(
      sortedDesc(acts)
        .slice(0, 9)
        .map((v) => expect.closeTo(v, 5)),
    );
    for (const image of result.top) expect(image.activation).toBeCloseTo(acts[image.index], 5);
    expect(result.bottom.map((i) => i.activation)).toEqual(
      sortedDesc(acts)
        .slice(-9)
        .reverse()
        .map((v) => expect.closeTo(v, 5)),
    );
    // Equal zeros are ordered by the value before the ReLU: the least are pushed furthest below zero.
    const before = Array.from({ length: data.test.count }, (_, n) => outputs[0].data[n * 16 + unit]);
    const bottomBefore = result.bottom.map((i) => before[i.index]);
    if (result.bottom.every((i) => i.activation === 0)) expect(bottomBefore).toEqual([...bottomBefore].sort((a, b) => a - b));
    expect(result.histogram.counts.reduce((a, b) => a + b, 0)).toBe(data.test.count);
    expect(result.histogram.min).toBeCloseTo(Math.min(...acts), 5);
    expect(result.histogram.max).toBeCloseTo(Math.max(...acts), 5);
    expect(result.histogram.zeros).toBe(acts.filter((v) => v === 0).length);
    const l1 = trainer.weights().get('l1.weight')!;
    expect(Array.from(result.weights.data)).toEqual(Array.from(l1.data.subarray(unit * 784, (unit + 1) * 784)));
    const l2 = trainer.weights().get('l2.weight')!;
    expect(result.votes?.values).toEqual(Array.from({ length: 10 }, (_, d) => l2.data[d * 16 + unit]));
    expect(result.noVotes).toBeNull();
  });

  it('calls a unit that never changes dead', () => {
    const { trainer } = trained(mlpSpec(8), 5);
    const w = trainer.weights();
    w.get('l1.weight')!.data.fill(0, 2 * 784, 3 * 784);
    w.get('l1.bias')!.data[2] = -1;
    const result = new Inspector(() => ({ trainer, training: false })).inspectUnit({ layer: 'l1', unit: 2 });
    expect(result.histogram.dead).toBe(true);
    expect(result.histogram.zeros).toBe(400);
    expect(new Inspector(() => ({ trainer, training: false })).inspectUnit({ layer: 'l1', unit: 3 }).histogram.dead).toBe(false);
  });

  it("reads a conv filter's activation as the largest value of its map, and sums its votes over its positions", () => {
    const spec: ModelSpec = {
      input: [1, 28, 28],
      layers: [
        { name: 'conv', type: 'conv2d', out: 4, kernel: 5, stride: 1, padding: 0, bias: true },
        { name: 'act', type: 'relu' },
        { name: 'pool', type: 'maxpool2d', kernel: 4, stride: 4, padding: 0 },
        { name: 'flat', type: 'flatten' },
        { name: 'fc', type: 'linear', out: 10, bias: true },
      ],
    } as ModelSpec;
    const { trainer, data } = trained(spec, 20, smallData(500, 200));
    const outputs = allOutputs(trainer, data);
    const maps = outputs[1]; // [N, 4, 24, 24] after relu
    const filter = 3;
    const acts = Array.from({ length: data.test.count }, (_, n) => Math.max(...maps.data.subarray((n * 4 + filter) * 576, (n * 4 + filter + 1) * 576)));
    const result = new Inspector(() => ({ trainer, training: false })).inspectUnit({ layer: 'conv', unit: filter });
    expect(result.kind).toBe('conv');
    expect(result.measure).toContain('24×24');
    expect(result.weights.shape).toEqual([1, 5, 5]);
    expect(result.top.map((i) => i.activation)).toEqual(
      sortedDesc(acts)
        .slice(0, 9)
        .map((v) => expect.closeTo(v, 5)),
    );
    const fc = trainer.weights().get('fc.weight')!; // [10, 4·6·6]
    const expected = Array.from({ length: 10 }, (_, d) => {
      let sum = 0;
      for (let p = 0; p < 36; p++) sum += fc.data[d * 144 + filter * 36 + p];
      return sum;
    });
    result.votes!.values.forEach((v, d) => expect(v).toBeCloseTo(expected[d], 5));
    expect(result.votes!.how).toContain('36 map positions');
    // A sentence of its own, the layer's name as it is written (the panel once capitalised 'fc' to 'Fc').
    expect(result.votes!.how).toMatch(/^The weights of fc from this filter/);
  });

  it('says why a unit feeding another hidden layer has no votes, and which layers have units', () => {
    const spec = {
      input: [784],
      layers: [
        { name: 'a', type: 'linear', out: 12 },
        { name: 'r1', type: 'relu' },
        { name: 'b', type: 'linear', out: 8 },
        { name: 'r2', type: 'relu' },
        { name: 'out', type: 'linear', out: 10 },
      ],
    } as ModelSpec;
    const { trainer } = trained(spec, 5, smallData(500, 100));
    const inspector = new Inspector(() => ({ trainer, training: false }));
    const first = inspector.inspectUnit({ layer: 'a', unit: 0 });
    expect(first.votes).toBeNull();
    expect(first.noVotes).toMatch(/not available for this layer: it feeds b \(8 hidden units\)/);
    const second = inspector.inspectUnit({ layer: 'b', unit: 7 });
    expect(second.readsPixels).toBe(false);
    expect(second.weights.shape).toEqual([12]);
    expect(second.votes?.values).toHaveLength(10);
    expect(() => inspector.inspectUnit({ layer: 'out', unit: 0 })).toThrow(/these layers have: a, b/);
    expect(() => inspector.inspectUnit({ layer: 'b', unit: 8 })).toThrow(/8 units/);
  });

  it('computes a layer once per weights: another unit of it is free, a step computes again', () => {
    const { trainer } = trained(mlpSpec(16), 10, smallData(500, 200));
    let passes = 0;
    const inspect = trainer.inspect.bind(trainer);
    trainer.inspect = ((fn) => {
      passes++;
      return inspect(fn);
    }) as Trainer['inspect'];
    const inspector = new Inspector(() => ({ trainer, training: false }));
    inspector.inspectUnit({ layer: 'l1', unit: 0 });
    const afterFirst = passes;
    inspector.inspectUnit({ layer: 'l1', unit: 9 });
    expect(passes - afterFirst).toBe(1); // only the cheap read-out, no new forward pass
    trainer.trainStep();
    const stepped = inspector.inspectUnit({ layer: 'l1', unit: 9 });
    expect(passes - afterFirst).toBe(3);
    expect(stepped.step).toBe(11);
  });
});

describe('validation of the inspection requests', () => {
  it('takes good queries and refuses bad ones with a reason', () => {
    expect(validateTestPageQuery({ filter: { label: 4, predicted: 9 }, order: 'confidence', offset: 0, limit: 48 })).toEqual({
      filter: { label: 4, predicted: 9, correct: null },
      order: 'confidence',
      offset: 0,
      limit: 48,
    });
    expect(() => validateTestPageQuery({ filter: { label: 10 }, limit: 1 })).toThrow(/filter.label must be a digit/);
    expect(() => validateTestPageQuery({ filter: {}, limit: 101 })).toThrow(/limit must be a whole number from 1 to 100/);
    expect(() => validateTestPageQuery({ filter: { correct: 'yes' }, limit: 1 })).toThrow(/filter.correct/);
    expect(() => validateTestPageQuery({ filter: {}, order: 'random', limit: 1 })).toThrow(/order/);
    expect(() => validateTestPageQuery(JSON.parse('{"filter":{},"__proto__":{"limit":5}}'))).toThrow(/limit/);
    expect(validateUnitQuery({ layer: 'l1', unit: 3 })).toEqual({ layer: 'l1', unit: 3 });
    expect(() => validateUnitQuery({ layer: 'l1; rm', unit: 3 })).toThrow(/layer/);
    expect(() => validateUnitQuery({ layer: 'l1', unit: -1 })).toThrow(/unit/);
  });
});
