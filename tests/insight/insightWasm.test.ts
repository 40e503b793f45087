// Why-this-answer and training health as the training worker runs them: on the WASM kernels
// (enableParallel), with every step in a step scope whose arena the next step reuses. They
// answer what the reference kernels answer, and a divergence is diagnosed from values copied
// out of its step (its tensors are gone once the step ends).
import { afterAll, describe, expect, it } from 'vitest';
import { sliceMnist } from '../../src/engine/data/mnist';
import { enableParallel, shutdownParallel } from '../../src/engine/parallel';
import { loadMnist } from '../../src/main/data/loadMnist';
import { DivergedError } from '../../src/main/training/divergence';
import { HealthMonitor } from '../../src/main/training/health';
import { Trainer, type TrainData } from '../../src/main/training/trainer';
import { defaultConfig, type TrainConfig } from '../../src/shared/contract';
import { EARLY_STEPS } from '../../src/shared/insight/health';

const { train, test } = loadMnist();
const data: TrainData = { train: sliceMnist(train, 0, 2000), test: sliceMnist(test, 0, 200) };
const digit = test.images.slice(0, 784);
const pixels = Float32Array.from(digit, (v) => v / 255);

/** SGD at a rate that makes the default model's loss explode within a few steps. */
const exploding: TrainConfig = { ...defaultConfig(), seed: 0, optimizer: { type: 'sgd', hyper: { lr: 5, momentum: 0.9, weightDecay: 0 } } };

/** What one step takes on the health monitor's clock: after the first steps, one sample every SAMPLE_INTERVAL_MS / STEP_MS steps on any machine. */
const STEP_MS = 100;

function run(config: TrainConfig) {
  const trainer = new Trainer(data, config);
  // The monitor's clock is the step count, not the machine's: both runs sample the same steps.
  let clock = 0;
  const health = new HealthMonitor(() => clock);
  let diverged: DivergedError | null = null;
  for (let i = 0; i < 60 && !diverged; i++, clock += STEP_MS) {
    try {
      trainer.trainStep(health.probe(trainer.model, 1, trainer.step + 1));
    } catch (error) {
      if (!(error instanceof DivergedError)) throw error;
      diverged = error;
    }
  }
  const diagnosis = diverged ? health.diagnose(diverged) : null;
  health.event(1); // moves the samples into the history, as the session does before it emits
  const view = health.view(1);
  return { trainer, diverged, diagnosis, view };
}

describe('why this answer and training health on the WASM kernels', () => {
  afterAll(() => shutdownParallel());

  it('explain and the health samples answer as on the reference kernels', () => {
    const config = { ...defaultConfig(), seed: 1 };
    const reference = run(config);
    const referenceWhy = reference.trainer.explain(pixels);
    enableParallel({ threads: 2 });
    const wasm = run(config);
    const why = wasm.trainer.explain(pixels);
    // Another step reuses the arena: what explain returned must still read the same.
    const saliency = why.saliency.slice();
    wasm.trainer.trainStep(undefined);
    shutdownParallel();
    expect(Array.from(why.saliency)).toEqual(Array.from(saliency));
    expect(why.target).toBe(referenceWhy.target);
    why.saliency.forEach((v, i) => expect(v).toBeCloseTo(referenceWhy.saliency[i], 4));
    // The same steps sampled: the first EARLY_STEPS, then on the monitor's (step-driven) clock.
    const steps = (v: typeof wasm.view) => v.samples.map((s) => s.step);
    expect(steps(wasm.view)).toEqual(steps(reference.view));
    expect(steps(wasm.view).slice(0, EARLY_STEPS)).toEqual(Array.from({ length: EARLY_STEPS }, (_, i) => i + 1));
    expect(steps(wasm.view).some((step) => step > EARLY_STEPS)).toBe(true);
    const last = (v: typeof wasm.view) => v.samples[v.samples.length - 1].layers.find((l) => l.layer === 'l1')!;
    expect(last(wasm.view).gradNorm).toBeCloseTo(last(reference.view).gradNorm!, 3);
    // The update ratio runs in the WASM kernels on copies kept in their memory.
    expect(last(wasm.view).updateRatio).toBeGreaterThan(0);
    expect(last(wasm.view).updateRatio! / last(reference.view).updateRatio!).toBeCloseTo(1, 3);
    expect(last(wasm.view).activations?.counts).toEqual(last(reference.view).activations?.counts);
  });

  it('a divergence in a step scope is diagnosed, naming a layer, as on the reference kernels', () => {
    const reference = run(exploding);
    enableParallel({ threads: 2 });
    const wasm = run(exploding);
    shutdownParallel();
    expect(reference.diverged).not.toBeNull();
    expect(wasm.diverged?.step).toBe(reference.diverged!.step);
    // The kernels differ in float32 summation order, so the figures in the reason may too; not the finding.
    expect(wasm.diagnosis?.layer).toBe(reference.diagnosis!.layer);
    expect(wasm.diagnosis?.layer).not.toBeNull();
    expect(wasm.diagnosis?.reason).toBe(reference.diagnosis!.reason);
  });
});
