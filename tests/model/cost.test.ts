// Issue 26, point 2: what a model costs is estimated from its spec, and a spec (or a batch size)
// over the budget is refused before anything is allocated, naming the layer where it goes over.
import { describe, expect, it } from 'vitest';
import { checkModelSpec } from '../../src/shared/model/checkSpec';
import {
  bytesByLayer,
  costProblem,
  EVAL_MEMORY_BUDGET,
  evalChunk,
  forwardBytes,
  MAX_EVAL_CHUNK,
  MAX_FLOPS_PER_SAMPLE,
  modelCost,
  STEP_MEMORY_BUDGET,
  trainingBytes,
  trainingProblem,
} from '../../src/shared/model/cost';
import { describeModel } from '../../src/shared/model/describe';
import { PRESET_NAMES, presetSpec } from '../../src/shared/model/presets';
import type { ModelSpec } from '../../src/shared/model/spec';
import { ModelCostError, validateModelSpec } from '../../src/shared/model/validateSpec';
import { TRAIN_SETTINGS } from '../../src/shared/trainSettings';
import { deepPaddedConvs, TWO_CONV } from './costSpecs';

const costOf = (spec: ModelSpec) => modelCost(describeModel(spec));

describe('the cost of a model, from its spec', () => {
  it("issue 26's spec (59 padded 256-channel convolutions) is refused, naming the layer where it goes over and the numbers", () => {
    const spec = deepPaddedConvs(59);
    expect(() => validateModelSpec(spec)).toThrow(ModelCostError);
    expect(() => validateModelSpec(spec)).toThrow(/^layer "c\d+" \(conv2d\): one image needs [\d.,]+ [GMT]FLOP up to this layer \([\d.,]+ [GMT]FLOP in all\); Digitrain runs at most 1\.0 GFLOP/);
    // The editor's check says the same.
    expect(checkModelSpec(spec).problem).toBe(
      (() => {
        try {
          validateModelSpec(spec);
        } catch (error) {
          return (error as Error).message;
        }
        return null;
      })(),
    );
  });

  it('a spec within the operations per image but over the memory of one image is refused at that layer', () => {
    // One 256-channel 1×1 convolution on the image padded to 56×56, then batch norms: little
    // arithmetic per value, and each keeps its normalised input and a gradient of 0.8 M values.
    const spec: ModelSpec = {
      input: [1, 28, 28],
      layers: [
        { name: 'wide', type: 'conv2d', out: 256, kernel: 1, stride: 1, padding: 14, bias: false },
        ...Array.from({ length: 60 }, (_, i) => ({ name: `bn${i + 1}`, type: 'batchnorm' as const, momentum: 0.1, eps: 1e-5 })),
        { name: 'pool', type: 'maxpool2d', kernel: 28, stride: 28, padding: 0 },
        { name: 'flat', type: 'flatten' },
        { name: 'fc', type: 'linear', out: 10, bias: true },
      ],
    };
    const cost = costOf(spec);
    expect(cost.flopsPerSample).toBeLessThan(MAX_FLOPS_PER_SAMPLE);
    expect(trainingBytes(cost, 1)).toBeGreaterThan(STEP_MEMORY_BUDGET);
    expect(() => validateModelSpec(spec)).toThrow(
      /^layer "bn\d+" \(batchnorm\): one image needs [\d.]+ MiB of activations and gradients up to this layer \([\d.,]+ MiB in all\); Digitrain's budget is 512 MiB/,
    );
  });

  it('names the first layer where the running total goes over, not the last', () => {
    const spec = presetSpec('pytorch-example');
    const problem = trainingProblem(spec, TRAIN_SETTINGS.batchSize.max);
    // At batch 4096 the first convolution's output, its ReLU's and their gradients pass 512 MiB.
    const bytes = bytesByLayer(costOf(spec), TRAIN_SETTINGS.batchSize.max, true);
    expect(bytes[0]).toBeLessThanOrEqual(STEP_MEMORY_BUDGET);
    expect(bytes[1]).toBeGreaterThan(STEP_MEMORY_BUDGET);
    expect(problem).toMatch(/^layer "relu1" \(relu\): a training step at batch 4096 needs [\d.,]+ (MiB|GiB) of activations and gradients up to this layer \([\d.,]+ GiB in all\)/);
    expect(problem).toMatch(/a smaller batch/);
  });

  it('every preset trains at the default batch and at 64; the two-conv model at 32', () => {
    for (const name of PRESET_NAMES) {
      expect(costProblem(costOf(presetSpec(name))), name).toBeNull();
      expect(trainingProblem(presetSpec(name), TRAIN_SETTINGS.batchSize.default), name).toBeNull();
      expect(trainingProblem(presetSpec(name), 64), name).toBeNull();
    }
    expect(trainingProblem(validateModelSpec(TWO_CONV), 32)).toBeNull();
  });

  it("a convolution's column matrix is counted for a slice of the batch, not the whole batch", () => {
    // Issue 26: the two-conv model's second convolution has 64·81 × 784 columns per image (16 MB);
    // at batch 32 that was 520 MB. Sliced, a step takes near its activations' size.
    const cost = costOf(TWO_CONV);
    const bytes = trainingBytes(cost, 32);
    expect(bytes).toBeLessThan(150 * 2 ** 20);
    expect(bytes).toBeGreaterThan(32 * 64 * 784 * 4 * 4); // at least four 64-channel maps per image
  });

  it("the pytorch-example preset is PyTorch's examples/mnist network: 1.2 M parameters, 9216 features into fc1", () => {
    const info = describeModel(presetSpec('pytorch-example'));
    expect(info.paramCount).toBe(1_199_882);
    const fc1 = info.layers.find((l) => l.layer.name === 'fc1');
    expect(fc1?.input).toEqual([9216]);
    expect(info.layers.map((l) => l.layer.name)).toEqual(['conv1', 'relu1', 'conv2', 'relu2', 'pool', 'dropout1', 'flatten', 'fc1', 'relu3', 'dropout2', 'fc2']);
  });
});

describe('the evaluation chunk, sized from the model', () => {
  it('small models take the full chunk; the two-conv model a chunk whose forward pass fits the budget', () => {
    expect(evalChunk(costOf(presetSpec('mlp')))).toBe(MAX_EVAL_CHUNK);
    const cost = costOf(TWO_CONV);
    const chunk = evalChunk(cost);
    expect(chunk).toBeLessThan(MAX_EVAL_CHUNK);
    expect(forwardBytes(cost, chunk)).toBeLessThanOrEqual(EVAL_MEMORY_BUDGET);
    expect(forwardBytes(cost, chunk + 1)).toBeGreaterThan(EVAL_MEMORY_BUDGET);
  });

  it('anything accepted for training can be evaluated: a chunk of at least one image, within the step budget', () => {
    const specs = [...PRESET_NAMES.map((n) => presetSpec(n)), validateModelSpec(TWO_CONV), validateModelSpec(deepPaddedConvs(2))];
    for (const spec of specs) {
      const cost = costOf(spec);
      // The largest batch a step fits at, by bisection over the batch size's range.
      let lo = 1;
      let hi = TRAIN_SETTINGS.batchSize.max;
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (trainingProblem(spec, mid) === null) lo = mid;
        else hi = mid - 1;
      }
      expect(trainingProblem(spec, lo)).toBeNull();
      const chunk = evalChunk(cost);
      expect(chunk).toBeGreaterThanOrEqual(1);
      // The chunk's forward pass holds no more than the largest training step that is accepted.
      expect(forwardBytes(cost, chunk)).toBeLessThanOrEqual(Math.max(EVAL_MEMORY_BUDGET, trainingBytes(cost, lo)));
      expect(forwardBytes(cost, chunk)).toBeLessThanOrEqual(STEP_MEMORY_BUDGET);
    }
  });
});
