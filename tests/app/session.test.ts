// TrainingSession on its own, with a scripted trainer and a fake clock: throttling and
// failure paths that a real worker cannot be made to show on demand.
import { afterEach, describe, expect, test } from 'vitest';
import type { Classification, EventMap, EventName, Evaluation, TrainConfig } from '../../src/shared/contract';
import { TrainingSession, type TrainerLike } from '../../src/main/training/session';
import type { Checkpoint, RunSettings } from '../../src/main/training/trainer';
import { waitFor } from './helpers';

class ScriptedTrainer implements TrainerLike {
  step = 0;
  readonly l1 = new Float32Array([1, 2, 3, 4]);
  weights() {
    return new Map([
      ['l1.weight', { data: this.l1, shape: [2, 2] }],
      ['l1.bias', { data: new Float32Array(2), shape: [2] }],
      ['l2.weight', { data: new Float32Array(2), shape: [1, 2] }],
    ]);
  }
  optimizerState() {
    return { kind: 'adam' as const, hyper: {}, step: this.step, buffers: {} };
  }
  restore(checkpoint: Checkpoint): void {
    this.step = checkpoint.step;
  }
  constructor(
    public config: TrainConfig,
    private readonly clock: { t: number },
    private readonly failAt: number | null,
  ) {}
  get epoch(): number {
    return (this.step * this.config.batchSize) / 60000;
  }
  updateConfig(partial: Partial<RunSettings>): void {
    this.config = { ...this.config, ...partial };
  }
  trainStep(): { loss: number; accuracy: number } {
    this.clock.t += 1; // each step takes 1 ms of fake time
    if (this.step + 1 === this.failAt) throw new Error('boom');
    this.step++;
    return { loss: 1 / this.step, accuracy: 0.5 };
  }
  evaluate(): Evaluation {
    return { step: this.step, testLoss: 1, testAccuracy: 0.1, confusion: [], perClassAccuracy: [], samples: [] };
  }
  classify(): Classification {
    return { predicted: 0, probabilities: [], activations: [] };
  }
}

function makeSession(failAt: number | null = null) {
  const clock = { t: 0 };
  const events: { event: EventName; payload: EventMap[EventName] }[] = [];
  const trainers: ScriptedTrainer[] = [];
  const session = new TrainingSession({
    createTrainer: (config) => {
      trainers.push(new ScriptedTrainer(config, clock, failAt));
      return trainers[trainers.length - 1];
    },
    emit: (event, payload) => events.push({ event, payload }),
    now: () => clock.t,
  });
  const of = <E extends EventName>(name: E) => events.filter((e) => e.event === name).map((e) => e.payload as EventMap[E]);
  return { session, events, of, clock, trainers };
}

let active: TrainingSession | null = null;
afterEach(() => {
  active?.stop();
  active = null;
});

describe('TrainingSession', () => {
  test('metrics come in batches of ~50 ms and snapshots every ~500 ms, each a copy in shared memory', async () => {
    const { session, of, events, trainers } = makeSession();
    active = session;
    session.train({});
    await waitFor(() => session.getState().step >= 1000, '1000 steps');
    session.stop();
    const step = session.getState().step;
    const metrics = of('metrics');
    // 1 ms per step: one message per ~50 steps, never one per step.
    expect(metrics.length).toBeLessThanOrEqual(Math.ceil(step / 50) + 1);
    expect(metrics.length).toBeGreaterThanOrEqual(Math.floor(step / 51));
    const covered = metrics.reduce((n, m) => n + m.loss.length, 0);
    expect(covered).toBe(step);
    const snapshots = events.filter((e) => e.event === 'weights');
    expect(snapshots.length).toBeLessThanOrEqual(Math.ceil(step / 500) + 1);
    expect(snapshots.length).toBeGreaterThanOrEqual(Math.floor(step / 501));
    // Shared, so that posting it detaches nothing in the training thread (see sharedCopy).
    for (const s of snapshots) {
      const w = s.payload as EventMap['weights'];
      // The weights the view draws: each dense layer's, not biases.
      expect(w.tensors.map((t) => t.name)).toEqual(['l1.weight', 'l2.weight']);
      for (const t of w.tensors) expect(t.data.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(w.tensors[0].shape).toEqual([2, 2]);
      expect(Array.from(w.tensors[0].data)).toEqual([1, 2, 3, 4]);
    }
    // A copy: later changes to the model do not reach a snapshot already sent.
    trainers[trainers.length - 1].l1[0] = 99;
    expect((snapshots[snapshots.length - 1].payload as EventMap['weights']).tensors[0].data[0]).toBe(1);
  });

  test('a failing step puts the session in error with the message, keeps earlier metrics, and reset recovers', async () => {
    const { session, of } = makeSession(30);
    active = session;
    session.train({});
    await waitFor(() => session.getState().status === 'error', 'the error status');
    const state = session.getState();
    expect(state.error).toBe('training failed: boom');
    expect(state.step).toBe(29);
    expect(of('error')).toEqual([{ message: 'training failed: boom' }]);
    expect(of('metrics').reduce((n, m) => n + m.loss.length, 0)).toBe(29);
    const reset = session.reset({});
    expect(reset).toMatchObject({ status: 'idle', error: null, step: 0 });
  });

  test('evaluates after Stop unless training resumes first', async () => {
    const { session, of } = makeSession();
    // No periodic evaluation: on a busy machine the loop may pass any small evalEvery before stop() lands.
    const never = { evalEvery: 1_000_000_000 };
    session.train(never);
    await waitFor(() => session.getState().step >= 10, '10 steps');
    session.stop();
    session.train(never); // resumed at once: the pending evaluation is dropped
    await waitFor(() => session.getState().step >= 20, '20 steps');
    const stopped = session.stop();
    await waitFor(() => of('evaluation').length > 0, 'the evaluation after stop', 5000);
    expect(of('evaluation').map((e) => e.step)).toEqual([stopped.step]);
    expect(session.getState().history.evaluations).toHaveLength(1);
  });
});
