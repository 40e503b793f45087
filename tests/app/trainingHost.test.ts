// The worker protocol end to end: a real training worker thread (real Trainer, real
// MNIST) driven through TrainingHost. A small network (hidden 16, batches of 8) keeps
// steps and evaluations cheap.
import { readdirSync } from 'node:fs';
import { getPriority } from 'node:os';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CONTRACT_VERSION, type AppState, type EventMap, type Evaluation, type MetricsEvent, type WeightsSnapshot } from '../../src/shared/contract';
import { BACKGROUND_NICE } from '../../src/main/training/threadPriority';
import { TrainingHost } from '../../src/main/training/trainingHost';
import { readProcStat } from '../../src/main/training/procStat';
import { mlpSpec } from '../../src/shared/model/spec';
import { createRequestHandlers, handleRequest } from '../../src/main/training/requestHandlers';
import { validateRequest } from '../../src/shared/validate';
import { lastStep, range, stepsOf, waitFor } from './helpers';

const SMALL = { model: mlpSpec(16), batchSize: 8, evalEvery: 1_000_000, seed: 1, epochs: null };
const adam = (lr: number) => ({ type: 'adam' as const, hyper: { lr } });

describe('TrainingHost with a real training worker', () => {
  let host: TrainingHost;
  let metrics: MetricsEvent[] = [];
  let statuses: EventMap['status'][] = [];
  let evaluations: Evaluation[] = [];
  let snapshots: WeightsSnapshot[] = [];

  const clearEvents = () => {
    metrics = [];
    statuses = [];
    evaluations = [];
    snapshots = [];
  };

  beforeAll(async () => {
    host = new TrainingHost();
    host.on('metrics', (m) => metrics.push(m));
    host.on('status', (s) => statuses.push(s));
    host.on('evaluation', (e) => evaluations.push(e));
    host.on('weights', (w) => snapshots.push(w));
  });

  afterAll(async () => {
    await host.dispose();
  });

  test('a fresh worker answers getState: idle at step 0 with the default config', async () => {
    const state = await host.request('getState', {});
    expect(state).toMatchObject({ version: CONTRACT_VERSION, status: 'idle', error: null, step: 0, lastEvaluation: null, run: { id: 1, origin: 'start' } });
    expect(state.config).toMatchObject({ model: mlpSpec(128), optimizer: adam(1e-3), batchSize: 32 });
  });

  test.runIf(process.platform === 'linux')('the training thread runs below the priority of the thread that serves the window', async () => {
    await host.request('getState', {});
    const niceOfThreads = readdirSync('/proc/self/task').map((tid) => readProcStat(`/proc/self/task/${tid}/stat`).nice);
    expect(getPriority()).toBe(0);
    expect(niceOfThreads.filter((nice) => nice >= BACKGROUND_NICE).length).toBeGreaterThanOrEqual(1);
  });

  test('train → every step arrives once and in order → stop within one step → resume from the same step → reset', async () => {
    await host.request('reset', { config: SMALL });
    clearEvents();

    const started = await host.request('train', { config: {} });
    expect(started.status).toBe('training');
    await waitFor(() => lastStep(metrics) >= 20, '20 steps of metrics');
    const stopped = await host.request('stop', {});
    expect(stopped.status).toBe('idle');
    // Metrics are flushed before the stop answers: steps 1..N, no gap, no duplicate.
    expect(stepsOf(metrics)).toEqual(range(1, stopped.step));
    expect(statuses.map((s) => s.status)).toEqual(['training', 'stopping', 'idle']);
    expect(metrics.every((m) => m.samplesPerSecond > 0 && m.loss.every(Number.isFinite))).toBe(true);
    expect(metrics[metrics.length - 1].epoch).toBeCloseTo((stopped.step * 8) / 60000, 10);
    // (That they are batched, a few messages a second, is a matter of the clock: session.test.ts drives it.)

    // The loop has halted: the step does not move while idle.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await host.request('getState', {})).step).toBe(stopped.step);
    expect(lastStep(metrics)).toBe(stopped.step);

    // Resume continues the same run.
    await host.request('train', { config: { optimizer: adam(5e-4) } });
    await waitFor(() => lastStep(metrics) >= stopped.step + 5, 'five more steps');
    const resumed = await host.request('stop', {});
    expect(stepsOf(metrics)).toEqual(range(1, resumed.step));
    expect(resumed.config.optimizer).toEqual(adam(5e-4));
    expect(resumed.history.step).toEqual(range(1, resumed.step));
    expect(resumed.history.loss).toHaveLength(resumed.step);

    // A weights snapshot came with the stop at the latest: copies of both layers' weights.
    const snapshot = snapshots[snapshots.length - 1];
    expect(snapshot.tensors.map((t) => [t.name, t.shape])).toEqual([
      ['l1.weight', [16, 784]],
      ['l2.weight', [10, 16]],
    ]);
    for (const t of snapshot.tensors) {
      expect(t.data).toBeInstanceOf(Float32Array);
      // The worker shares it; listeners get arrays of their own (Electron's IPC cannot send shared memory).
      expect(t.data.buffer).toBeInstanceOf(ArrayBuffer);
      expect(t.data).toHaveLength(t.shape[0] * t.shape[1]);
    }
    expect(snapshot.step).toBe(resumed.step);

    const fresh = await host.request('reset', { config: {} });
    expect(fresh).toMatchObject({ status: 'idle', step: 0, epoch: 0, lastEvaluation: null });
    expect(fresh.history).toEqual({ step: [], loss: [], accuracy: [], evaluations: [] });
    expect(fresh.config.model).toEqual(mlpSpec(16));
  });

  test('every command answers while training, with clear errors where it cannot act', async () => {
    await host.request('reset', { config: SMALL });
    await host.request('train', { config: {} });
    // Settings apply while training (at the next step); the network does not change under a run.
    const applied = await host.request('train', { config: { optimizer: adam(5e-4), batchSize: 16 } });
    expect(applied).toMatchObject({ status: 'training', config: { optimizer: adam(5e-4), batchSize: 16 } });
    await expect(host.request('train', { config: { seed: 3 } })).rejects.toThrow(/a new seed is a new network: press Reset/);
    await expect(host.request('reset', { config: {} })).rejects.toThrow(/cannot reset while training: stop first/);
    const classification = await host.request('classify', { pixels: new Float32Array(784) });
    expect(classification.probabilities).toHaveLength(10);
    // Every layer's output, for the network view.
    expect(classification.activations.map((a) => [a.name, a.shape])).toEqual([
      ['l1', [16]],
      ['act', [16]],
      ['l2', [10]],
    ]);
    expect(Math.min(...classification.activations[1].data)).toBeGreaterThanOrEqual(0);
    expect((await host.request('getState', {})).status).toBe('training');
    const stopped = await host.request('stop', {});
    expect(stopped.status).toBe('idle');
    // Stop while idle is a no-op that reports the state.
    const again = await host.request('stop', {});
    expect(again).toMatchObject({ status: 'idle', step: stopped.step });
  });

  test('changing the model or the seed without reset is refused, naming Reset', async () => {
    await host.request('reset', { config: SMALL });
    await expect(host.request('train', { config: { model: mlpSpec(32) } })).rejects.toThrow(/a new model is a new network: press Reset/);
    await expect(host.request('train', { config: { seed: 9 } })).rejects.toThrow(/a new seed is a new network: press Reset/);
    const state = await host.request('getState', {});
    expect(state).toMatchObject({ status: 'idle', config: { model: mlpSpec(16), seed: 1 } });
    expect((await host.request('reset', { config: { model: mlpSpec(32) } })).config.model).toEqual(mlpSpec(32));
  });

  test('malformed requests are refused where they enter the Node side and never reach the worker', async () => {
    const handlers = createRequestHandlers(host);
    const send = (method: unknown, args: unknown[]) => Promise.resolve().then(() => handleRequest(handlers, validateRequest(method, args)));
    await expect(send('train', [{ optimizer: adam(Number.NaN) }])).rejects.toThrow(/lr must be a number from 1e-7 to 10 \(got NaN\)/);
    await expect(send('train', ['fast'])).rejects.toThrow(/config must be an object/);
    await expect(send('reset', [{ hiden: 5 }])).rejects.toThrow(/unknown setting 'hiden'/);
    await expect(send('classify', [[0.5, 0.5, 0.5]])).rejects.toThrow(/pixels must be 784 numbers in \[0, 1\] \(got 3 values\)/);
    await expect(send('classify', [])).rejects.toThrow(/pixels must be 784 numbers/);
    await expect(send('launch', [])).rejects.toThrow(/unknown request "launch"/);
    const before = await host.request('getState', {});
    const bad = {
      input: [784],
      layers: [
        { name: 'l1', type: 'linear', out: 16 },
        { name: 'l1', type: 'relu' },
        { name: 'out', type: 'linear', out: 10 },
      ],
    };
    await expect(send('reset', [{ model: bad }])).rejects.toThrow(/^reset: model: layer "l1": the name is used twice/);
    expect(await host.request('getState', {})).toEqual(before);
    // The worker itself names an unknown command too (a host bug, not user input).
    await expect(host.request('launch' as never, {} as never)).rejects.toThrow(/unknown command "launch"/);
    expect((await host.request('getState', {})).status).toBe('idle');
    expect(host.pendingCount).toBe(0);
  });

  test('evaluates every evalEvery steps, and the configured epochs end the run', async () => {
    // 40 steps of 8 samples: an evaluation at step 25 and one at the end of the run.
    await host.request('reset', { config: { ...SMALL, evalEvery: 25, epochs: (40 * 8) / 60000 } });
    clearEvents();
    await host.request('train', { config: {} });
    await waitFor(() => statuses.some((s) => s.status === 'idle'), 'the run to finish');
    const state = await host.request('getState', {});
    expect(state.step).toBe(40);
    // Steps 25 and 40 at least: the wall-clock rhythm (FIRST_EVAL_MS, EVAL_RHYTHM_MS) may add one on a
    // machine that starves the worker for seconds; session.test.ts counts them on a driven clock.
    const evaluated = evaluations.map((e) => e.step);
    expect(evaluated).toEqual(expect.arrayContaining([25, 40]));
    expect(evaluated.at(-1)).toBe(40);
    expect(state.history.evaluations.map((e) => e.step)).toEqual(evaluated);
    expect(state.lastEvaluation?.step).toBe(40);
    expect(state.lastEvaluation?.confusion.reduce((a, b) => a + b, 0)).toBe(10000);
    expect(stepsOf(metrics)).toEqual(range(1, 40));
    await expect(host.request('train', { config: {} })).rejects.toThrow(/already trained .* epoch/);
    // More epochs continue the run.
    const more = await host.request('train', { config: { epochs: (45 * 8) / 60000 } });
    expect(more.status).toBe('training');
    await waitFor(() => lastStep(metrics) === 45 && statuses[statuses.length - 1].status === 'idle', 'the longer run to finish');
  });

  test('100 Train/Stop cycles: no hang, nothing pending, no listener growth, steps still consecutive', async () => {
    await host.request('reset', { config: SMALL });
    clearEvents();
    const listenersBefore = host.listenerCount();
    let state: AppState | null = null;
    for (let i = 0; i < 100; i++) {
      const training = await host.request('train', { config: {} });
      expect(training.status).toBe('training');
      state = await host.request('stop', {});
      expect(state.status).toBe('idle');
    }
    expect(host.pendingCount).toBe(0);
    expect(host.listenerCount()).toBe(listenersBefore);
    expect(stepsOf(metrics)).toEqual(range(1, state!.step));
  });
});

describe('TrainingHost when the worker dies', () => {
  test('pending requests are rejected, status becomes error, and the next request starts a fresh worker', async () => {
    const host = new TrainingHost({ workerUrl: new URL('./fixtures/dyingWorker.js', import.meta.url) });
    const statuses: EventMap['status'][] = [];
    const errors: string[] = [];
    host.on('status', (s) => statuses.push(s));
    host.on('error', (e) => errors.push(e.message));
    try {
      expect((await host.request('getState', {})).status).toBe('idle');
      const a = host.request('train', { config: {} });
      const b = host.request('stop', {});
      await expect(a).rejects.toThrow(/train: the training worker exited \(code 7\)/);
      await expect(b).rejects.toThrow(/stop: the training worker exited \(code 7\)/);
      expect(host.pendingCount).toBe(0);
      expect(host.status).toBe('error');
      expect(statuses[statuses.length - 1]).toMatchObject({ status: 'error', error: expect.stringMatching(/exited/) });
      expect(errors).toHaveLength(1);
      expect((await host.request('getState', {})).status).toBe('idle');
    } finally {
      await host.dispose();
    }
    await expect(host.request('getState', {})).rejects.toThrow(/shut down/);
  });
});
