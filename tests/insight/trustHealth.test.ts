// Issue 25, points 4 and 6, judged on real training: the trainer's own health samples go
// through the health panel's notes (shared/insight/healthNotes.ts), and its curves, smoothed
// as the page smooths them, through the "not learning" check (shared/insight/noLearning.ts).
//
// Point 6: healthy presets at their defaults raise no "exploding" note (the deep MLP's output
// layer grows its gradient norm more than 10× over step 1's within these steps, which the old
// note called exploding); SGD with lr 5 on the default MLP does by step 5.
// Point 4: SGD with lr 1 on a fresh default MLP (the case) is "not learning" once its
// grace is over; healthy presets never are.
//
// Cost: the issue asks for 2,000 steps per preset. On this shared 2-core machine a cnn step took
// over a second under load, so this test runs PRESET_STEPS of each live (the MLPs long enough for
// the "not learning" check to judge: past GRACE_STEPS + STUCK_STEPS; the convolutional presets
// through their first sampled steps and their gradient norms' early growth, where step 1's norm
// misled the old note), and tests/insight/healthTraces.test.ts judges recordings of the full 2,000
// steps of each (tests/fixtures/make_health_traces.ts), checking that the engine still trains their
// first steps as recorded. The health monitor samples every 10th step (a fake clock), denser than the app does
// at any real speed, so each step judged here has more chances of a false note than in the app.
import { describe, expect, it } from 'vitest';
import { loadMnist } from '../../src/main/data/loadMnist';
import { DivergedError } from '../../src/main/training/divergence';
import { HealthMonitor } from '../../src/main/training/health';
import { Trainer } from '../../src/main/training/trainer';
import { createEma, emaNext } from '../../src/renderer/lib/ema';
import { SMOOTHING } from '../../src/renderer/state/series';
import { defaultConfig, type TrainConfig } from '../../src/shared/contract';
import { healthNotes, layerSeries } from '../../src/shared/insight/healthNotes';
import { GRACE_STEPS, mostDead, noLearning, STUCK_STEPS, type NoLearning } from '../../src/shared/insight/noLearning';
import { MNIST_CLASSES } from '../../src/shared/mnist';
import { presetSpec, type PresetName } from '../../src/shared/model/presets';
import { defaultOptimizer } from '../../src/shared/optimizers';

const mnist = loadMnist();
const data = { train: mnist.train, test: { ...mnist.test, count: 100, images: mnist.test.images.subarray(0, 100 * 784), labels: mnist.test.labels.subarray(0, 100) } };

const MLP_STEPS = GRACE_STEPS + STUCK_STEPS + 20;
const PRESET_STEPS: Record<Extract<PresetName, 'mlp' | 'deep-mlp' | 'cnn' | 'lenet'>, number> = { mlp: MLP_STEPS, 'deep-mlp': MLP_STEPS, cnn: 40, lenet: 40 };

interface Run {
  notes: Map<string, string[]>;
  /** The first step the page would have said "not learning" at, and what it said. */
  stuck: NoLearning | null;
  diverged: number | null;
  firstNorms: Map<string, { first: number; peak: number }>;
}

/** `steps` steps of `config` from a fresh model, judged at every step as the page would. */
function run(config: TrainConfig, steps: number): Run {
  let clock = 0;
  const monitor = new HealthMonitor(() => clock);
  const trainer = new Trainer(data, config);
  const loss = createEma(SMOOTHING);
  const accuracy = createEma(SMOOTHING);
  const curve = { steps: [] as number[], lossEma: [] as number[], accuracyEma: [] as number[] };
  let stuck: NoLearning | null = null;
  let diverged: number | null = null;
  for (let step = 1; step <= steps; step++) {
    clock += 100; // a sample every 10th step after the first EARLY_STEPS
    let result;
    try {
      result = trainer.trainStep(monitor.probe(trainer.model, 1, step));
    } catch (error) {
      if (!(error instanceof DivergedError)) throw error;
      diverged = error.step;
      break;
    }
    curve.steps.push(step);
    curve.lossEma.push(emaNext(loss, result.loss));
    curve.accuracyEma.push(emaNext(accuracy, result.accuracy));
    monitor.event(1);
    if (!stuck) {
      const samples = monitor.view(1).samples;
      stuck = noLearning({ classes: MNIST_CLASSES, ...curve, test: null, dead: mostDead(samples[samples.length - 1]) });
    }
  }
  monitor.event(1);
  const series = layerSeries(monitor.view(1).samples);
  const firstNorms = new Map<string, { first: number; peak: number }>();
  for (const s of series) {
    const norms = s.gradNorm.filter((v): v is number => v !== undefined);
    if (norms.length > 0) firstNorms.set(s.layer, { first: norms[0], peak: Math.max(...norms) });
  }
  return { notes: new Map(series.map((s) => [s.layer, healthNotes(s)])), stuck, diverged, firstNorms };
}

const exploding = (r: Run) => [...r.notes].filter(([, notes]) => notes.some((n) => /exploding/.test(n))).map(([layer]) => layer);

describe('training health that a healthy run does not set off (issue 25, points 4 and 6)', () => {
  for (const preset of ['mlp', 'deep-mlp', 'cnn', 'lenet'] as const) {
    it(`${preset} at its defaults: no "exploding" note and never "not learning" over its first ${PRESET_STEPS[preset]} steps`, () => {
      const r = run({ ...defaultConfig(), model: presetSpec(preset) }, PRESET_STEPS[preset]);
      expect(r.diverged).toBeNull();
      expect(exploding(r)).toEqual([]);
      expect(r.stuck).toBeNull();
      if (preset === 'deep-mlp') {
        // The case that fooled the old note: a gradient norm ten times and more its step-1 value, in a run that learns.
        expect([...r.firstNorms.values()].some(({ first, peak }) => peak >= 10 * first)).toBe(true);
      }
    }, 300_000);
  }

  it('SGD with lr 5 on the default MLP: "exploding" by step 5', () => {
    const config = { ...defaultConfig(), optimizer: { ...defaultOptimizer('sgd'), hyper: { ...defaultOptimizer('sgd').hyper, lr: 5 } } };
    const r = run(config, 5);
    expect(exploding(r).length).toBeGreaterThan(0);
    const note = [...r.notes.values()].flat().find((n) => /exploding/.test(n))!;
    expect(Number(/at step (\d+)/.exec(note)![1])).toBeLessThanOrEqual(5);
  });

  it(`SGD with lr 1 on a fresh default MLP (the issue's case): "not learning" after its grace, with most units of its ReLU dead`, () => {
    const config = { ...defaultConfig(), optimizer: { ...defaultOptimizer('sgd'), hyper: { ...defaultOptimizer('sgd').hyper, lr: 1 } } };
    const r = run(config, MLP_STEPS);
    expect(r.stuck).not.toBeNull();
    expect(r.stuck!.step).toBeGreaterThan(GRACE_STEPS);
    expect(r.stuck!.dead?.layer).toBe('act');
    expect(r.stuck!.accuracy!).toBeLessThan(1 / MNIST_CLASSES + 0.1);
  }, 300_000);
});
