// Issue 26, point 1: a failed allocation must leave the engine exactly as usable as before.
// A failure is injected at each allocation point of a training step, an evaluation, a
// classify and a load (EngineMemory.failAllocationIn, a test-only hook), one point per round;
// after each, on the same pool and memory, a new run trains a few steps and evaluates, and
// its losses, evaluation and classify must be bit-identical to the same run before any
// failure. Before the fix, a failed staging allocation left a freed block recorded as a large
// one, and later results were silently wrong (or "memory access out of bounds").
//
// Each round starts the engine's caches cold (the pool's staging block, the step arena) so
// that the injected operation allocates them afresh and every point is reached.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sliceMnist } from '../../src/engine/data/mnist';
import { enableParallel, type ParallelPool, shutdownParallel, wasmUnavailableReason } from '../../src/engine/parallel';
import { threadMemory, threadRuntime } from '../../src/engine/parallel/runtime';
import { setStorageProvider } from '../../src/engine/storage';
import { loadMnist } from '../../src/main/data/loadMnist';
import { Trainer, type TrainData } from '../../src/main/training/trainer';
import { decodeWeightsFile } from '../../src/main/weights/decode';
import { encodeWeightsFile } from '../../src/main/weights/encode';
import { checkLoadedOutputs } from '../../src/main/weights/outputCheck';
import { planRestore } from '../../src/main/weights/weightsCommands';
import { defaultConfig, type TrainConfig } from '../../src/shared/contract';
import { validateModelSpec } from '../../src/shared/model/validateSpec';

const { train, test } = loadMnist();
const data: TrainData = { train: sliceMnist(train, 0, 256), test: sliceMnist(test, 0, 96) };

const config: TrainConfig = {
  ...defaultConfig(),
  model: validateModelSpec({
    input: [1, 28, 28],
    layers: [
      { name: 'conv1', type: 'conv2d', out: 3, kernel: 3, stride: 1, padding: 1, bias: true },
      { name: 'bn1', type: 'batchnorm', momentum: 0.1, eps: 1e-5 },
      { name: 'relu1', type: 'relu' },
      { name: 'pool1', type: 'maxpool2d', kernel: 2, stride: 2, padding: 0 },
      { name: 'flatten', type: 'flatten' },
      { name: 'fc1', type: 'linear', out: 16, bias: true },
      { name: 'act', type: 'relu' },
      { name: 'fc2', type: 'linear', out: 10, bias: true },
    ],
  }),
  optimizer: { type: 'adam', hyper: { lr: 1e-3, weightDecay: 0 } },
  batchSize: 8,
  seed: 0,
};
const pixels = Float32Array.from(data.test.images.subarray(0, 784), (p) => p / 255);

interface Outcome {
  losses: number[];
  testLoss: number;
  confusion: number[];
  probabilities: number[];
}

/** A new run from the same seed: three steps, an evaluation, a classify. */
function freshRun(): Outcome {
  const trainer = new Trainer(data, config);
  const losses = [0, 1, 2].map(() => trainer.trainStep().loss);
  const evaluation = trainer.evaluate();
  return { losses, testLoss: evaluation.testLoss, confusion: evaluation.confusion, probabilities: trainer.classify(pixels).probabilities };
}

/** A saved run with optimizer state, as the weights file of "Save weights + optimizer". */
function savedFile(): Uint8Array {
  const trainer = new Trainer(data, config);
  trainer.trainStep();
  return encodeWeightsFile({ config: trainer.config, step: trainer.step, testAccuracy: null, params: trainer.weights(), optimizer: trainer.optimizerState() });
}

/** The operations a failure is injected into: `prepare` runs before the injection, `run` with it. */
const OPERATIONS: Record<string, { prepare: () => () => void }> = {
  'a training step': {
    prepare: () => {
      const trainer = new Trainer(data, config);
      return () => {
        trainer.trainStep();
        trainer.trainStep();
      };
    },
  },
  'an evaluation': {
    prepare: () => {
      const trainer = new Trainer(data, config);
      return () => void trainer.evaluate();
    },
  },
  'a classify': {
    prepare: () => {
      const trainer = new Trainer(data, config);
      return () => void trainer.classify(pixels);
    },
  },
  'a load': {
    prepare: () => {
      const bytes = savedFile();
      // As weightsCommands.loadWeightsFile and TrainingSession.restore do it.
      return () => {
        const loaded = decodeWeightsFile(bytes);
        checkLoadedOutputs(loaded);
        const plan = planRestore(loaded, config);
        const trainer = new Trainer(data, plan.config);
        trainer.restore(plan.checkpoint);
        trainer.evaluate();
      };
    },
  },
};

describe('an allocation that fails leaves later results unchanged (issue 26)', () => {
  let pool: ParallelPool;
  let reference: Outcome;
  const memory = threadMemory();

  /** Empties the caches an operation would otherwise find already allocated. */
  function coldCaches(): void {
    pool.staging.release();
    setStorageProvider(null); // releases the step arena
    setStorageProvider(threadRuntime()!.storage);
  }

  beforeAll(() => {
    // Two threads, every matmul shared: the workers compute in the same memory.
    pool = enableParallel({ threads: 2, minParallelFlops: 0, backoff: false });
    coldCaches();
    reference = freshRun();
  });
  afterAll(async () => {
    memory.failAllocationIn(-1);
    await shutdownParallel();
  });

  it('the WASM kernels are built (npm run build:wasm)', () => {
    expect(wasmUnavailableReason()).toBe('');
  });

  for (const [name, operation] of Object.entries(OPERATIONS)) {
    it(`a failure at each allocation point of ${name}`, () => {
      let failed = 0;
      for (let point = 0; ; point++) {
        coldCaches();
        const run = operation.prepare();
        memory.failAllocationIn(point);
        let error: unknown = null;
        try {
          run();
        } catch (err) {
          error = err;
        }
        const fired = !memory.failurePending;
        memory.failAllocationIn(-1);
        if (!fired) break; // fewer than point + 1 allocations: every point has been tried
        if (error !== null) {
          expect(String(error), `point ${point}`).toMatch(/injected allocation failure/);
          failed++;
        }
        const after = freshRun();
        expect(after, `after a failure at allocation ${point} of ${name}`).toEqual(reference);
      }
      // The rounds did reach allocations, and the operation refused at least one of them.
      expect(failed).toBeGreaterThan(0);
    });
  }
});
