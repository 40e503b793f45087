import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { defaultConfig, type Evaluation } from '../../src/shared/contract';
import { mlpSpec } from '../../src/shared/model/spec';

const adam = (lr: number) => ({ type: 'adam' as const, hyper: { lr } });
const sgd = (lr: number) => ({ type: 'sgd' as const, hyper: { lr, momentum: 0.9 } });
import { createActions } from '../../src/renderer/state/actions';
import { connectStore, type Scheduler } from '../../src/renderer/state/connect';
import { initialUiState, needsReset, previousRunLabel, type UiState } from '../../src/renderer/state/store';
import { createFakeApi } from './fakeApi';

/** Flushes coalesced events at once, so each emit is visible right after it. */
const immediate: Scheduler = (flush) => {
  flush();
  return () => {};
};

function setup(initial?: Parameters<typeof createFakeApi>[0], schedule: Scheduler = immediate, applyDelayMs = 0) {
  const api = createFakeApi(initial);
  const store = createStore<UiState>(() => initialUiState());
  const disconnect = connectStore(api, store, schedule);
  const actions = createActions(api, store, applyDelayMs);
  return { api, store, actions, disconnect };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

function evaluation(step: number, acc: number): Evaluation {
  return {
    step,
    testLoss: 0.3,
    testAccuracy: acc,
    confusion: new Array(100).fill(100),
    perClassAccuracy: new Array(10).fill(acc),
    samples: [],
  };
}

describe('store fed by the contract', () => {
  it('restores curves, evaluations and settings from getState on load', async () => {
    const { store } = setup({
      step: 300,
      epoch: 0.16,
      config: { ...defaultConfig(), model: mlpSpec(64), optimizer: adam(0.01) },
      history: { step: [1, 150, 300], loss: [2.3, 0.9, 0.5], accuracy: [0.1, 0.7, 0.85], evaluations: [{ step: 300, testLoss: 0.4, testAccuracy: 0.88 }] },
    });
    expect(store.getState().connection).toBe('connecting');
    await flush();
    const s = store.getState();
    expect(s.connection).toBe('ready');
    expect(s.step).toBe(300);
    expect(Array.from(s.curves.loss.view())).toEqual([2.3, 0.9, 0.5]);
    expect(s.curves.lossEma.length).toBe(3);
    expect(s.evaluations).toHaveLength(1);
    expect(s.config.model).toEqual(mlpSpec(64));
    expect(s.draft.optimizer).toEqual(adam(0.01));
  });

  it('appends every step of a metrics batch, once, and tracks step, epoch and throughput', async () => {
    const { api, store } = setup();
    await flush();
    api.emit('metrics', { firstStep: 1, loss: [2.3, 2.2, 2.1], accuracy: [0.1, 0.2, 0.3], samplesPerSecond: 5000, epoch: 0.0016 });
    const v1 = store.getState().curvesVersion;
    api.emit('metrics', { firstStep: 3, loss: [2.1, 2.0], accuracy: [0.3, 0.4], samplesPerSecond: 6000, epoch: 0.0021 });
    const s = store.getState();
    expect(Array.from(s.curves.step.view())).toEqual([1, 2, 3, 4]);
    expect(Array.from(s.curves.loss.view())).toEqual([2.3, 2.2, 2.1, 2.0]);
    expect(s.curvesVersion).toBe(v1 + 1);
    expect(s.step).toBe(4);
    expect(s.samplesPerSecond).toBe(6000);
    expect(s.epoch).toBeCloseTo(0.0021);
    // The EMA lags the raw values on a falling loss.
    expect(s.curves.lossEma.last()!).toBeGreaterThan(2.0);
  });

  it('folds a burst of metrics and snapshots into one update per flush, and flushes before a status', async () => {
    const waiting: (() => void)[] = [];
    const manual: Scheduler = (flush) => {
      waiting.push(flush);
      return () => waiting.splice(waiting.indexOf(flush), 1);
    };
    const { api, store } = setup(undefined, manual);
    await flush();
    let updates = 0;
    store.subscribe(() => updates++);
    for (let i = 0; i < 10; i++) {
      api.emit('metrics', { firstStep: 1 + i * 2, loss: [2, 1.9], accuracy: [0.1, 0.2], samplesPerSecond: 100 + i, epoch: i });
      api.emit('weights', { step: 2 + i * 2, tensors: [{ name: 'l1.weight', shape: [1, 1], data: new Float32Array(1) }] });
    }
    expect(updates).toBe(0);
    expect(waiting).toHaveLength(1);
    waiting.pop()!();
    expect(updates).toBe(1);
    const s = store.getState();
    expect(s.curves.step.length).toBe(20);
    expect(s.step).toBe(20);
    expect(s.samplesPerSecond).toBe(109);
    expect(s.weights?.step).toBe(20);

    api.emit('metrics', { firstStep: 21, loss: [1.5], accuracy: [0.5], samplesPerSecond: 1, epoch: 10 });
    api.emit('status', { status: 'idle', error: null, step: 21, epoch: 10, config: defaultConfig(), run: api.app.run });
    expect(store.getState().curves.step.length).toBe(21);
    expect(store.getState().status).toBe('idle');
    expect(waiting).toHaveLength(0);
  });

  it('keeps its per-step curves on a reload snapshot of the same run, adding only newer points', async () => {
    const { api, store } = setup();
    await flush();
    api.emit('metrics', { firstStep: 1, loss: [2, 1.5, 1.2, 1.0], accuracy: [0.1, 0.3, 0.5, 0.6], samplesPerSecond: 1, epoch: 0 });
    api.app.step = 6;
    api.app.history = { step: [2, 4, 6], loss: [1.5, 1.0, 0.9], accuracy: [0.3, 0.6, 0.7], evaluations: [] };
    api.emit('connection', { connected: false });
    api.emit('connection', { connected: true });
    await flush();
    expect(Array.from(store.getState().curves.step.view())).toEqual([1, 2, 3, 4, 6]);
  });

  it('clears the curves when the step goes back (a reset elsewhere)', async () => {
    const { api, store } = setup();
    await flush();
    api.emit('metrics', { firstStep: 1, loss: [2, 1], accuracy: [0, 1], samplesPerSecond: 1, epoch: 0 });
    api.emit('evaluation', evaluation(2, 0.5));
    api.emit('status', { status: 'idle', error: null, step: 0, epoch: 0, config: defaultConfig(), run: api.app.run });
    const s = store.getState();
    expect(s.curves.step.length).toBe(0);
    expect(s.evaluations).toEqual([]);
    expect(s.lastEvaluation).toBeNull();
  });

  it('keeps evaluations sorted and unique by step', async () => {
    const { api, store } = setup();
    await flush();
    api.emit('evaluation', evaluation(2000, 0.9));
    api.emit('evaluation', evaluation(1000, 0.8));
    api.emit('evaluation', evaluation(2000, 0.91));
    expect(store.getState().evaluations.map((e) => [e.step, e.testAccuracy])).toEqual([
      [1000, 0.8],
      [2000, 0.91],
    ]);
    expect(store.getState().lastEvaluation?.testAccuracy).toBe(0.91);
  });

  it('shows status errors and error events', async () => {
    const { api, store } = setup();
    await flush();
    api.emit('status', { status: 'error', error: 'worker died', step: 0, epoch: 0, config: defaultConfig(), run: api.app.run });
    api.emit('error', { message: 'out of memory' });
    expect(store.getState().status).toBe('error');
    expect(store.getState().error).toBe('worker died');
    expect(store.getState().notice).toBe('out of memory');
  });

  it('marks a dropped connection and reloads the state when it comes back', async () => {
    const { api, store } = setup();
    await flush();
    api.emit('connection', { connected: false });
    expect(store.getState().connection).toBe('lost');
    api.app.step = 42;
    api.emit('connection', { connected: true });
    await flush();
    expect(store.getState().connection).toBe('ready');
    expect(store.getState().step).toBe(42);
    expect(api.calls.filter((c) => c === 'getState')).toHaveLength(2);
  });

  it('drops the weights snapshot when the architecture changes', async () => {
    const { api, store } = setup();
    await flush();
    api.emit('weights', { step: 5, tensors: [{ name: 'l1.weight', shape: [128, 784], data: new Float32Array(128 * 784) }] });
    expect(store.getState().weights?.step).toBe(5);
    api.emit('status', { status: 'idle', error: null, step: 0, epoch: 0, config: { ...defaultConfig(), model: mlpSpec(64) }, run: api.app.run });
    expect(store.getState().weights).toBeNull();
  });
});

describe('actions', () => {
  it('train sends the draft; an edited lr applies at the next Train', async () => {
    const { api, store, actions } = setup();
    await flush();
    actions.setDraft({ optimizer: sgd(0.01) });
    expect(needsReset(store.getState())).toBe(false);
    await actions.train();
    expect(api.app.config.optimizer).toEqual(sgd(0.01));
    expect(store.getState().status).toBe('training');
    expect(store.getState().config.optimizer.type).toBe('sgd');
  });

  it('refuses Train while hidden units wait for Reset, and Reset applies them', async () => {
    const { api, store, actions } = setup();
    await flush();
    actions.setDraft({ model: mlpSpec(64) });
    expect(needsReset(store.getState())).toBe(true);
    await actions.train();
    expect(api.calls).not.toContain('train');
    expect(store.getState().notice).toMatch(/Reset/);
    await actions.reset();
    expect(store.getState().config.model).toEqual(mlpSpec(64));
    expect(needsReset(store.getState())).toBe(false);
  });

  it('keeps the user’s unsaved edits when a status event arrives', async () => {
    const { api, store, actions } = setup();
    await flush();
    actions.setDraft({ optimizer: adam(0.05) });
    api.emit('status', { status: 'training', error: null, step: 10, epoch: 0, config: { ...defaultConfig(), batchSize: 64 }, run: api.app.run });
    expect(store.getState().draft.optimizer).toEqual(adam(0.05));
    expect(store.getState().draft.batchSize).toBe(64);
  });

  it('turns a rejected request into a notice and changes nothing else', async () => {
    const { api, store, actions } = setup();
    await flush();
    api.train = async () => {
      throw new Error('already training');
    };
    await actions.train();
    expect(store.getState().notice).toBe('already training');
    expect(store.getState().status).toBe('idle');
  });

  it('selecting a sample classifies it with pixels scaled to [0, 1]', async () => {
    const { api, store, actions } = setup();
    await flush();
    let sent: Float32Array = new Float32Array(0);
    const classify = api.classify.bind(api);
    api.classify = async (pixels) => {
      sent = pixels;
      return classify(pixels);
    };
    const pixels = new Uint8Array(784);
    pixels[0] = 255;
    await actions.selectSample({ index: 7, label: 3, predicted: 3, confidence: 0.9, pixels });
    expect(sent).toHaveLength(784);
    expect(sent[0]).toBe(1);
    expect(store.getState().selected?.label).toBe(3);
    expect(store.getState().classification?.predicted).toBe(3);
  });

  it('a failed classification leaves a notice and no stale result', async () => {
    const { api, store, actions } = setup();
    await flush();
    api.classifyResult = new Error('model not ready');
    await actions.selectInput({ pixels: new Float32Array(784), label: null, source: 'drawing' });
    expect(store.getState().classification).toBeNull();
    expect(store.getState().notice).toBe('model not ready');
  });
});

describe('for a learner (issue 13)', () => {
  const snapshot = (step: number) => ({ step, tensors: [{ name: 'l1.weight', shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) }] });

  it('a page loaded while idle draws the weights the state carries', async () => {
    const { store } = setup({ step: 500, weights: snapshot(500) });
    await flush();
    expect(store.getState().weights?.step).toBe(500);
    expect(Array.from(store.getState().weights!.tensors[0].data)).toEqual([1, 2, 3, 4]);
  });

  it("a new run (Reset or a loaded file) keeps the previous run's curves, labelled, and starts its own", async () => {
    const { api, store } = setup();
    await flush();
    api.emit('metrics', { firstStep: 1, loss: [2, 1.5, 1], accuracy: [0.1, 0.4, 0.6], samplesPerSecond: 1, epoch: 0 });
    api.emit('evaluation', evaluation(3, 0.7));
    const loaded = { id: 2, origin: 'load' as const, file: 'deep.safetensors' };
    api.emit('status', { status: 'idle', error: null, step: 300, epoch: 0.16, config: defaultConfig(), run: loaded });
    const s = store.getState();
    expect(s.run).toEqual(loaded);
    // The step went up (the file's run is further along), yet these curves are a new run's.
    expect(s.curves.step.length).toBe(0);
    expect(s.evaluations).toEqual([]);
    expect(s.previousRun && previousRunLabel(s.previousRun, new Map())).toBe('previous run (before loading deep.safetensors)');
    expect(Array.from(s.previousRun!.curves.loss.view())).toEqual([2, 1.5, 1]);
    expect(s.previousRun?.evaluations.map((e) => e.step)).toEqual([3]);
    // A Reset right after: the new run had no steps, so the run with curves stays the previous one.
    api.emit('status', { status: 'idle', error: null, step: 0, epoch: 0, config: defaultConfig(), run: { id: 3, origin: 'reset', file: null } });
    expect(store.getState().previousRun?.why).toBe('before loading deep.safetensors');
  });

  it('settings edited while training apply once typing pauses, all but the network', async () => {
    const { api, store, actions } = setup();
    await flush();
    await actions.train();
    const calls = api.calls.length;
    actions.setDraft({ optimizer: adam(0.005), seed: 9 });
    expect(api.calls.length).toBe(calls);
    await new Promise((r) => setTimeout(r, 5));
    await flush();
    expect(api.calls.slice(calls)).toEqual(['applySettings']);
    expect(api.app.config.optimizer).toEqual(adam(0.005));
    expect(api.app.config.seed).toBe(0);
    // The seed waits for Reset; the learning rate runs.
    expect(store.getState().config.optimizer).toEqual(adam(0.005));
    expect(store.getState().draft.seed).toBe(9);
  });

  it('an invalid field holds Train, Reset and live edits until it is fixed', async () => {
    const { api, store, actions } = setup();
    await flush();
    actions.setFieldError('hp-lr', 'Learning rate: a number from 1e-7 to 10');
    await actions.train();
    await actions.reset();
    expect(api.calls).not.toContain('train');
    expect(api.calls).not.toContain('reset');
    expect(store.getState().notice).toBe('Learning rate: a number from 1e-7 to 10: fix it first.');
    actions.setFieldError('hp-lr', null);
    await actions.train();
    expect(api.calls).toContain('train');
  });
});
