// TrainingSession on its own, with a scripted trainer and a fake clock: throttling and
// failure paths that a real worker cannot be made to show on demand.
import { afterEach, describe, expect, test } from 'vitest';
import type { Classification, EventMap, EventName, Evaluation, TrainConfig } from '../../src/shared/contract';
import { METRICS_INTERVAL_MS, SNAPSHOT_INTERVAL_MS, TrainingSession, type SessionOptions, type TrainerLike } from '../../src/main/training/session';
import { FIRST_EVAL_STEPS, type RhythmState } from '../../src/shared/evaluationRhythm';
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
  checkpoint(): Checkpoint {
    return { params: new Map(), optimizer: null, step: this.step, samplesSeen: this.step * this.config.batchSize };
  }
  setMyDigits(): void {}
  predict(): Int32Array {
    return new Int32Array(0);
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
  trainStep(): { loss: number; accuracy: number; lr: number } {
    this.clock.t += 1; // each step takes 1 ms of fake time
    if (this.step + 1 === this.failAt) throw new Error('boom');
    this.step++;
    return { loss: 1 / this.step, accuracy: 0.5, lr: 1e-3 };
  }
  evaluate(): Evaluation {
    return { step: this.step, testLoss: 1, testAccuracy: 0.1, confusion: [], perClassAccuracy: [], samples: [] };
  }
  classify(): Classification {
    return { predicted: 0, probabilities: [], activations: [] };
  }
}

/** Evaluations only every `evalEvery` steps, for tests that count them. */
const byStepsOnly = (s: RhythmState) => s.step % s.evalEvery === 0;

function makeSession(failAt: number | null = null, options: Partial<SessionOptions> & { afterEmit?: (event: EventName, clock: { t: number }) => void } = {}) {
  const clock = { t: 0 };
  const events: { event: EventName; payload: EventMap[EventName] }[] = [];
  const trainers: ScriptedTrainer[] = [];
  const session = new TrainingSession({
    createTrainer: (config) => {
      trainers.push(new ScriptedTrainer(config, clock, failAt));
      return trainers[trainers.length - 1];
    },
    emit: (event, payload) => {
      events.push({ event, payload });
      options.afterEmit?.(event, clock);
    },
    now: () => clock.t,
    evaluationDue: options.evaluationDue,
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
  test('metrics come in batches of METRICS_INTERVAL_MS and snapshots every SNAPSHOT_INTERVAL_MS, each a copy in shared memory', async () => {
    const { session, of, events, trainers } = makeSession();
    active = session;
    session.train({});
    await waitFor(() => session.getState().step >= 1000, '1000 steps');
    session.stop();
    const step = session.getState().step;
    const metrics = of('metrics');
    // 1 ms per step: one message per ~METRICS_INTERVAL_MS steps, never one per step.
    expect(metrics.length).toBeLessThanOrEqual(Math.ceil(step / METRICS_INTERVAL_MS) + 1);
    expect(metrics.length).toBeGreaterThanOrEqual(Math.floor(step / (METRICS_INTERVAL_MS + 1)));
    const covered = metrics.reduce((n, m) => n + m.loss.length, 0);
    expect(covered).toBe(step);
    const snapshots = events.filter((e) => e.event === 'weights');
    expect(snapshots.length).toBeLessThanOrEqual(Math.ceil(step / SNAPSHOT_INTERVAL_MS) + 1);
    expect(snapshots.length).toBeGreaterThanOrEqual(Math.floor(step / (SNAPSHOT_INTERVAL_MS + 1)));
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
    const { session, of } = makeSession(null, { evaluationDue: byStepsOnly });
    // No periodic evaluation: on a busy machine the loop may pass any small evalEvery before stop() lands.
    const never = { evalEvery: 1_000_000_000 };
    session.train(never);
    await waitFor(() => session.getState().step >= 10, '10 steps');
    session.stop();
    session.train(never); // resumed at once: the pending evaluation is dropped
    await waitFor(() => session.getState().step >= 20, '20 steps');
    const stopped = session.stop();
    await waitFor(() => of('evaluation').length > 0, 'the evaluation after stop');
    expect(of('evaluation').map((e) => e.step)).toEqual([stopped.step]);
    expect(session.getState().history.evaluations).toHaveLength(1);
  });
});

describe('TrainingSession for a learner (issue 13)', () => {
  test('getState carries the weights as they are now, so a page loaded while idle can draw them', () => {
    const { session, trainers } = makeSession();
    active = session;
    expect(session.getState().weights).toBeNull(); // no model yet
    const reset = session.reset({});
    // The answers to requests leave the weights to the events that follow them.
    expect(reset.weights).toBeNull();
    trainers[0].l1[0] = 7;
    const state = session.getState();
    expect(state.weights?.step).toBe(0);
    expect(state.weights?.tensors.map((t) => t.name)).toEqual(['l1.weight', 'l2.weight']);
    expect(Array.from(state.weights!.tensors[0].data)).toEqual([7, 2, 3, 4]);
    // A plain copy: replies go on to Electron's IPC, which cannot carry shared memory.
    expect(state.weights!.tensors[0].data.buffer).toBeInstanceOf(ArrayBuffer);
    trainers[0].l1[0] = 8;
    expect(state.weights!.tensors[0].data[0]).toBe(7);
  });

  test("prepare() builds a first visit's network once and sends its initial weights at step 0 (issue 24)", () => {
    const { session, trainers, of } = makeSession();
    active = session;
    session.prepare();
    expect(trainers).toHaveLength(1);
    const sent = of('weights');
    expect(sent).toHaveLength(1);
    expect(sent[0].step).toBe(0);
    expect(Array.from(sent[0].tensors[0].data)).toEqual([1, 2, 3, 4]);
    // A second call (another page) changes nothing: the network is the one the page already shows.
    session.prepare();
    expect(trainers).toHaveLength(1);
    expect(of('weights')).toHaveLength(1);
    expect(session.getState().weights?.step).toBe(0);
  });

  test('samples/s is the rate the run goes at, also when the thread loses its core after each message', async () => {
    // Posting an event wakes the host's thread; on a busy machine the training thread then
    // waits for a core. Here that wait is 200 ms after every metrics message, on top of 1 ms steps.
    const gapMs = 200;
    const { session, of } = makeSession(null, {
      evaluationDue: byStepsOnly,
      afterEmit: (event, time) => {
        if (event === 'metrics') time.t += gapMs;
      },
    });
    active = session;
    session.train({ evalEvery: 1_000_000 });
    await waitFor(() => of('metrics').length >= 40, '40 metrics events');
    session.stop();
    const metrics = of('metrics');
    // After the first 50 steps (one message, 50 ms), each step (1 ms) ends a message and its 200 ms wait.
    expect(metrics.slice(1, 20).map((m) => m.loss.length)).toEqual(new Array(19).fill(1));
    const trueRate = (session.getState().config.batchSize * 1000) / (1 + gapMs);
    // Once the meter's window (3 s) has passed the first burst, every figure is the true rate; timing only the steps gave 32 000.
    let checked = 0;
    for (const m of metrics.slice(20)) {
      expect(m.samplesPerSecond / trueRate).toBeGreaterThan(0.97);
      expect(m.samplesPerSecond / trueRate).toBeLessThan(1.03);
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
  });

  test('settings other than the network apply while training, at the next step', async () => {
    const { session, of, trainers } = makeSession();
    active = session;
    session.train({ evalEvery: 1_000_000 });
    await waitFor(() => session.getState().step >= 5, '5 steps');
    const optimizer = { type: 'adam' as const, hyper: { lr: 0.05, weightDecay: 0 } };
    const answer = session.train({ optimizer, batchSize: 64 });
    expect(answer.status).toBe('training');
    expect(answer.config.optimizer).toEqual(optimizer);
    expect(trainers[0].config.optimizer).toEqual(optimizer);
    expect(trainers[0].config.batchSize).toBe(64);
    // Every window hears of it.
    expect(of('status').at(-1)).toMatchObject({ status: 'training', config: { batchSize: 64 } });
    const at = session.getState().step;
    await waitFor(() => session.getState().step >= at + 5, '5 more steps');
    // The network is not a setting: a new seed or model still needs Reset.
    expect(() => session.train({ seed: 5 })).toThrow(/new seed is a new network: press Reset/);
    expect(session.getState().status).toBe('training');
  });

  test('the first evaluation comes early, then on a wall-clock rhythm as well as every evalEvery steps', async () => {
    const { session, of } = makeSession();
    active = session;
    session.train({ evalEvery: 1_000_000 });
    // 1 ms per step: the first evaluation after FIRST_EVAL_STEPS steps, then every 5 s of training (5000 steps here).
    await waitFor(() => of('evaluation').length >= 3, 'three evaluations');
    session.stop();
    const steps = of('evaluation').map((e) => e.step);
    expect(steps[0]).toBe(FIRST_EVAL_STEPS);
    expect(steps[1]).toBe(FIRST_EVAL_STEPS + 5000);
    expect(steps[2]).toBe(FIRST_EVAL_STEPS + 10_000);
  });

  test('a Reset or a loaded file starts a new run, named in the status and the state', () => {
    const { session, of } = makeSession();
    active = session;
    // Each run also carries the id of its record in the runs folder (issue 25: one name per run), new with each run.
    const first = session.getState().run;
    expect(first).toMatchObject({ id: 1, origin: 'start', file: null });
    session.reset({});
    expect(session.getState().run).toMatchObject({ id: 2, origin: 'reset', file: null });
    session.restore(session.currentConfig, { params: new Map(), optimizer: null, step: 300, samplesSeen: 9600 }, 'deep.safetensors');
    const loaded = session.getState().run;
    expect(loaded).toMatchObject({ id: 3, origin: 'load', file: 'deep.safetensors' });
    expect(of('status').at(-1)?.run).toEqual(loaded);
    expect(new Set([first.recordId, loaded.recordId]).size).toBe(2);
  });
});
