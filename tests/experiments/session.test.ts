// The training session's experiment features with a real Trainer on a slice of MNIST: Step
// takes exactly the steps asked; early stopping stops when the test loss has not improved for
// N evaluations and restores the best step's weights bit for bit; every run is handed over to
// be kept at its checkpoints; the learner's digits are measured and mixed into batches.
import { afterEach, describe, expect, it } from 'vitest';
import { sliceMnist } from '../../src/engine/data/mnist';
import { loadMnist } from '../../src/main/data/loadMnist';
import { TrainingSession, type RunCheckpoint } from '../../src/main/training/session';
import { Trainer, type TrainData } from '../../src/main/training/trainer';
import { type EventMap, type EventName, type Evaluation, type TrainConfig } from '../../src/shared/contract';
import { MNIST_PIXELS } from '../../src/shared/mnist';
import { mlpSpec } from '../../src/shared/model/spec';
import { stepClock, waitFor } from '../app/helpers';

function smallData(): TrainData {
  const { train, test } = loadMnist();
  return { train: sliceMnist(train, 0, 2000), test: sliceMnist(test, 0, 300) };
}

const config = (patch: Partial<TrainConfig> = {}): Partial<TrainConfig> => ({ model: mlpSpec(16), evalEvery: 1_000_000, ...patch });

interface Options {
  /** Test losses the evaluations report, in order (the rest of each evaluation is real). */
  scriptedLosses?: number[];
  /** Called as each evaluation is reported, in the session's thread (the weights are the evaluated ones). */
  onEvaluation?(trainer: Trainer, evaluation: Evaluation): void;
}

function makeSession(options: Options = {}) {
  const data = smallData();
  const events: { event: EventName; payload: EventMap[EventName] }[] = [];
  const recorded: RunCheckpoint[] = [];
  const trainers: Trainer[] = [];
  let evaluations = 0;
  // Time moves with the steps only: evaluations fall by the steps, on any machine.
  const clock = stepClock();
  const session = new TrainingSession({
    now: clock.now,
    createTrainer: (c) => {
      const trainer = clock.timed(new Trainer(data, c));
      const { scriptedLosses } = options;
      if (scriptedLosses) {
        const real = trainer.evaluate.bind(trainer);
        trainer.evaluate = (): Evaluation => ({ ...real(), testLoss: scriptedLosses[Math.min(evaluations++, scriptedLosses.length - 1)] });
      }
      trainers.push(trainer);
      return trainer;
    },
    emit: (event, payload) => {
      events.push({ event, payload });
      if (event === 'evaluation') options.onEvaluation?.(trainers[trainers.length - 1], payload as Evaluation);
    },
    recordRun: (checkpoint) => recorded.push(structuredClone({ ...checkpoint, weights: new Map() })),
  });
  const of = <E extends EventName>(name: E) => events.filter((e) => e.event === name).map((e) => e.payload as EventMap[E]);
  return { session, of, recorded, trainer: () => trainers[trainers.length - 1], data };
}

let active: TrainingSession | null = null;
afterEach(() => {
  active?.stop();
  active = null;
});

const copyWeights = (trainer: Trainer) => new Map([...trainer.weights()].map(([name, t]) => [name, Float32Array.from(t.data)]));

describe('Step', () => {
  it('takes exactly one step (or ten), and reports each step once with the lr it used', () => {
    const { session, of } = makeSession();
    session.reset(config({ optimizer: { type: 'adam', hyper: { lr: 0.01 }, schedule: { type: 'step', hyper: { decayEvery: 5, decayFactor: 0.1 } } } }));
    const one = session.step({}, 1);
    expect(one.step).toBe(1);
    expect(one.status).toBe('idle');
    expect(of('metrics')).toHaveLength(1);
    expect(of('metrics')[0]).toMatchObject({ firstStep: 1, lr: 0.01 });
    expect(of('metrics')[0].loss).toHaveLength(1);
    expect(of('weights').length).toBeGreaterThanOrEqual(2); // reset's and the step's
    const ten = session.step({}, 10);
    expect(ten.step).toBe(11);
    const steps = of('metrics').flatMap((m) => m.loss.map((_, i) => m.firstStep + i));
    expect(steps).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    // Step 11 (t = 10) is past two decays: 0.01 · 0.1².
    expect(of('metrics').at(-1)?.lr).toBeCloseTo(1e-4, 12);
    expect(ten.history.step.at(-1)).toBe(11);
  });

  it('evaluates where the loop would, applies the settings it is given, and is refused while training', async () => {
    const { session, of } = makeSession();
    active = session;
    session.reset(config({ evalEvery: 4 }));
    session.step({ batchSize: 8 }, 10);
    expect(of('evaluation').map((e) => e.step)).toEqual([4, 8]);
    expect(session.getState().config.batchSize).toBe(8);
    session.train({});
    expect(() => session.step({}, 1)).toThrow(/stop it to take single steps/);
  });
});

describe('early stopping', () => {
  it("stops when the test loss has not improved for N evaluations, and Restore best gives the best step's weights exactly", async () => {
    // Evaluations at steps 5, 10, …: the loss is lowest at step 15, then three without improvement.
    const atEvaluation = new Map<number, Map<string, Float32Array>>();
    const { session, trainer } = makeSession({
      scriptedLosses: [2.0, 1.5, 1.2, 1.3, 1.25, 1.4, 1.0],
      onEvaluation: (t, e) => atEvaluation.set(e.step, copyWeights(t)),
    });
    active = session;
    session.reset(config({ evalEvery: 5, earlyStopping: 3 }));
    session.train({});
    await waitFor(() => session.getState().status === 'idle', 'early stopping');
    const stopped = session.getState();
    expect(stopped.step).toBe(30);
    expect(stopped.history.evaluations.map((e) => e.testLoss)).toEqual([2.0, 1.5, 1.2, 1.3, 1.25, 1.4]);

    const restored = session.restoreBest();
    expect(restored.step).toBe(15);
    expect(trainer().step).toBe(15);
    expect(restored.lastEvaluation?.step).toBe(15);
    expect(restored.history.evaluations.map((e) => e.step)).toEqual([5, 10, 15]);
    expect(Math.max(...restored.history.step)).toBeLessThanOrEqual(15);
    // The weights of step 15 as they were when it was evaluated, bit for bit (and not those of the end).
    expect(atEvaluation.get(15)).toBeDefined();
    expect(copyWeights(trainer())).toEqual(atEvaluation.get(15));
    expect(copyWeights(trainer())).not.toEqual(atEvaluation.get(30));

    // Training goes on from the best weights.
    session.step({}, 3);
    expect(session.getState().step).toBe(18);
  });

  it('restores the optimizer state with the weights, so the run continues exactly as it would have from there', () => {
    const { session, trainer } = makeSession({ scriptedLosses: [1.0, 2.0, 3.0] });
    session.reset(config({ evalEvery: 3 }));
    session.step({}, 3); // evaluated: the best
    const bestWeights = copyWeights(trainer());
    const bestState = trainer().optimizerState();
    session.step({}, 6);
    session.restoreBest();
    expect(copyWeights(trainer())).toEqual(bestWeights);
    expect(trainer().optimizerState()).toEqual(bestState);
    expect(trainer().samplesSeen).toBe(3 * 32);
  });

  it('has nothing to restore before an evaluation', () => {
    const { session } = makeSession();
    session.reset(config());
    session.step({}, 2);
    expect(() => session.restoreBest()).toThrow(/no evaluation to go back to/);
  });
});

describe('runs are handed over to be kept', () => {
  it('after Stop (with an evaluation of the final weights), not again until something changed, and a Reset starts a new run', async () => {
    const { session, recorded, of } = makeSession();
    active = session;
    session.reset(config());
    session.train({});
    await waitFor(() => session.getState().step >= 20, '20 steps');
    const stopped = session.stop();
    await waitFor(() => recorded.length === 1, 'the run to be recorded after Stop');
    const [first] = recorded;
    expect(first.step).toBe(stopped.step);
    expect(first.run.steps).toBe(stopped.step);
    expect(first.run.history.step.at(-1)).toBe(stopped.step);
    expect(first.testAccuracy).toBe(of('evaluation').at(-1)?.testAccuracy);
    expect(first.run.finalTestAccuracy).toBe(first.testAccuracy);
    expect(first.run.confusion).toHaveLength(100);
    expect(first.run.seconds).toBe(stopped.step / 1000); // the training time: 1 ms a step on the session's clock
    expect(first.run.config.model).toEqual(mlpSpec(16));

    session.reset(config({ optimizer: { type: 'sgd', hyper: { lr: 0.05 } } }));
    expect(recorded).toHaveLength(1); // nothing changed since
    session.step({}, 3);
    session.reset(config());
    // Reset keeps the run it ends (evaluating its final weights first).
    expect(recorded).toHaveLength(2);
    expect(recorded[1].run.id).not.toBe(first.run.id);
    expect(recorded[1].run).toMatchObject({ steps: 3, step: 3 });
    expect(recorded[1].run.config.optimizer.type).toBe('sgd');
    expect(recorded[1].testAccuracy).not.toBeNull();
  });

  it('Restore best keeps the run as it ended; what follows is a new run from the best weights', () => {
    const { session, recorded } = makeSession({ scriptedLosses: [1.0, 2.0] });
    session.reset(config({ evalEvery: 2 }));
    session.step({}, 4);
    session.restoreBest();
    expect(recorded).toHaveLength(1);
    expect(recorded[0].run.step).toBe(4);
    expect(recorded[0].run.history.step.at(-1)).toBe(4);
    session.step({}, 1);
    session.reset(config());
    expect(recorded).toHaveLength(2);
    expect(recorded[1].run).toMatchObject({ step: 3, steps: 1, origin: 'the best weights (step 2) of the run before' });
  });
});

describe('my digits', () => {
  it('are measured with every evaluation and on request, and mixing them puts them in the batches', () => {
    const { session, data, trainer } = makeSession();
    session.reset(config());
    expect(session.evaluateMyDigits()).toBeNull();
    expect(() => session.step({ mixMyDigits: 0.5 }, 1)).toThrow(/no digits of yours to mix in/);
    // Five test images as "my digits".
    const pixels = data.test.images.slice(0, 5 * MNIST_PIXELS);
    const labels = Array.from(data.test.labels.slice(0, 5));
    session.setMyDigits({ ids: ['aaaaaa1', 'aaaaaa2', 'aaaaaa3', 'aaaaaa4', 'aaaaaa5'], set: { images: pixels, labels: Uint8Array.from(labels), count: 5, rows: 28, cols: 28 } });
    const before = session.evaluateMyDigits();
    expect(before).toMatchObject({ step: 0, ids: ['aaaaaa1', 'aaaaaa2', 'aaaaaa3', 'aaaaaa4', 'aaaaaa5'] });
    expect(before?.predicted).toHaveLength(5);
    expect(before?.correct).toBe(before!.predicted.filter((p, i) => p === labels[i]).length);
    expect(session.evaluate().myDigits).toEqual(before);

    // With all of each batch from the five, the model learns them (and the epoch counter stands still: no MNIST seen).
    session.step({ mixMyDigits: 1, optimizer: { type: 'adam', hyper: { lr: 0.01 } } }, 40);
    expect(trainer().samplesSeen).toBe(0);
    expect(session.evaluateMyDigits()).toMatchObject({ step: 40, correct: 5 });
    session.step({ mixMyDigits: 0.25 }, 2);
    expect(trainer().samplesSeen).toBe(2 * 24);
  });
});
