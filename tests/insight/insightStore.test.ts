// Issue 18 in the renderer: the explained input follows the selected digit and the what-if
// sliders with one request out at a time (the latest wins); health samples fold into a
// bounded history, a new run starts afresh, and a divergence lands at once.
import { CANCELLED } from '../../src/shared/cancel';
import { describe, expect, it } from 'vitest';
import type { Explanation } from '../../src/shared/insight/explain';
import { HEALTH_HISTORY_CAPACITY, type HealthSample } from '../../src/shared/insight/health';
import { connectInsight, createInsightStore } from '../../src/renderer/state/insightStore';
import { createStore } from 'zustand/vanilla';
import { initialUiState, type UiState } from '../../src/renderer/state/store';
import { createFakeApi } from '../renderer/fakeApi';
import { busyStore, SHOW_AFTER_MS, busyItems } from '../../src/renderer/state/busy';
import type { Classification } from '../../src/shared/contract';

const digit = () => {
  const x = new Float32Array(784);
  for (let r = 8; r < 20; r++) x[r * 28 + 12] = 1;
  return x;
};

function setup() {
  const api = createFakeApi();
  const asked: Float32Array[] = [];
  const answers: ((e: Explanation) => void)[] = [];
  api.explain = (pixels) => {
    asked.push(pixels);
    return new Promise((resolve) => answers.push(resolve));
  };
  const ui = createStore<UiState>(() => initialUiState());
  const store = createInsightStore();
  const { actions, close } = connectInsight(api, ui, store, 0);
  const answer = (i: number) =>
    answers[i]({ classification: { predicted: 1, probabilities: new Array(10).fill(0.1), activations: [] }, target: 1, saliency: new Float32Array(784), contributions: null });
  return { api, ui, store, actions, close, asked, answer };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('the insight store', () => {
  it('explains the selected digit, one request at a time: slider moves made meanwhile collapse into the latest', async () => {
    const { ui, store, actions, asked, answer, close } = setup();
    const pixels = digit();
    ui.setState({ selected: { pixels, label: null, source: 'test' } });
    expect(asked).toHaveLength(1);
    expect(asked[0]).toBe(pixels);
    actions.setWhatIf({ shiftX: 1 });
    actions.setWhatIf({ shiftX: 2 });
    actions.setWhatIf({ shiftX: 3 });
    expect(asked).toHaveLength(1); // still waiting for the first answer
    expect(store.getState().input![12 * 28 + 15]).toBe(1); // the input is redrawn at once
    answer(0);
    await flush();
    expect(asked).toHaveLength(2); // then only the newest input
    expect(asked[1]).toBe(store.getState().input);
    answer(1);
    await flush();
    expect(store.getState().explained).toBe(store.getState().input);
    close();
  });

  it('keeps the health history bounded; a new run starts afresh; a divergence lands at once', async () => {
    const { api, store, close } = setup();
    await flush();
    const sample = (step: number): HealthSample => ({ step, layers: [{ layer: 'l1', gradNorm: 1 }] });
    for (let step = 1; step <= 5000; step += 10) api.emit('health', { run: 1, samples: Array.from({ length: 10 }, (_, i) => sample(step + i)), diverged: null });
    await flush();
    const samples = store.getState().health.samples;
    expect(samples.length).toBeLessThanOrEqual(HEALTH_HISTORY_CAPACITY + 16);
    expect(samples.at(-1)!.step).toBe(5000);
    api.emit('health', { run: 2, samples: [sample(1)], diverged: null });
    await flush();
    expect(store.getState().health).toMatchObject({ run: 2, samples: [{ step: 1 }] });
    const diverged = { step: 2, loss: Number.NaN, layer: 'l1', reason: 'its parameters hold NaN' };
    api.emit('health', { run: 2, samples: [], diverged });
    expect(store.getState().health.diverged).toEqual(diverged); // at once, no flush
    close();
  });

  it('lists the answer the learner asked for, not the one a weights snapshot asks for', async () => {
    busyStore.setState({ pending: [] });
    const { ui, answer, asked, close } = setup();
    ui.setState({ selected: { pixels: digit(), label: null, source: 'test' } });
    expect(busyStore.getState().pending.map((p) => p.label)).toEqual(['why this answer']);
    answer(0);
    await flush();
    expect(busyStore.getState().pending).toEqual([]);
    ui.setState({ weights: { step: 5 } as UiState['weights'] });
    expect(asked).toHaveLength(2);
    expect(busyStore.getState().pending).toEqual([]);
    answer(1);
    await flush();
    close();
  });

  it('the shift sweep is listed with its progress; Cancel stops it: no more shifts asked, those out called off, the plot kept', async () => {
    busyStore.setState({ pending: [] });
    const { api, ui, store, actions, answer, close } = setup();
    let ticket = 0;
    const out: { ticket: number; resolve: (c: Classification) => void; reject: (e: Error) => void }[] = [];
    const cancelled: number[] = [];
    api.classify = () => {
      const mine = ++ticket;
      return new Promise((resolve, reject) => out.push({ ticket: mine, resolve, reject }));
    };
    api.lastTicket = () => ticket;
    // As the real clients do: the cancelled request rejects with CANCELLED at once.
    api.cancel = (t) => {
      cancelled.push(t);
      out.find((o) => o.ticket === t)?.reject(new Error(`classify: ${CANCELLED}`));
    };
    const classification: Classification = { predicted: 1, probabilities: new Array(10).fill(0.1), activations: [] };
    ui.setState({ selected: { pixels: digit(), label: null, source: 'test' } });
    answer(0);
    await flush();
    const sweeping = actions.sweep();
    const listed = () => busyItems(busyStore.getState().pending, { now: performance.now() + SHOW_AFTER_MS, step: 0, training: false, scoring: false });
    expect(listed().map((i) => i.text)).toEqual(['the shift sweep: 0/13']);
    out[0].resolve(classification); // the target
    await flush();
    out[1].resolve(classification);
    out[2].resolve(classification); // the first shift, both ways
    await flush();
    expect(listed().map((i) => i.text)).toEqual(['the shift sweep: 1/13']);
    expect(out).toHaveLength(5);
    listed()[0].cancel!();
    expect(cancelled).toEqual([4, 5]);
    expect(busyStore.getState().pending).toEqual([]);
    expect(store.getState()).toMatchObject({ sweeping: false, sweep: { done: 1, cancelled: true } });
    out[3].resolve(classification);
    out[4].resolve(classification);
    await sweeping;
    expect(out).toHaveLength(5);
    expect(store.getState().sweep).toMatchObject({ done: 1, cancelled: true });
    close();
  });
});
