// The How it works store: a recording that arrives resets the cursor and is counted (the e2e
// tests wait on that count, not on the button), and a recording overtaken by a newer request
// is dropped, so it can neither reset the cursor nor count.
import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import type { DigitrainApi } from '../../src/shared/contract';
import type { GraphNode, StepGraph } from '../../src/shared/stepGraph';
import { createHowItWorksActions, howItWorksStore, type HowItWorksState } from '../../src/renderer/state/howItWorksStore';

const summary = { min: 0, max: 0, mean: 0, norm: 0, histogram: [] };
function op(id: number, inputs: number[]): GraphNode {
  return { id, kind: 'op', name: 'relu', symbol: `o${id}`, layer: null, inputs, shape: [1], values: null, forward: summary, grad: null, gradSummary: null, chain: [], update: null };
}
function graphAt(step: number): StepGraph {
  const input: GraphNode = { ...op(0, []), kind: 'input', name: 'input', symbol: 'x' };
  return { step, index: 0, label: 1, predicted: 1, loss: 0.5, nodes: [input, op(1, [0]), op(2, [1])], layers: [], labelSmoothing: 0, optimizer: 'adam' };
}

/** An api whose stepGraph answers only when the test says so, in any order. */
function heldApi(): { api: DigitrainApi; answer: (i: number, step: number) => void } {
  const waiting: Array<(g: StepGraph) => void> = [];
  const api = { stepGraph: () => new Promise<StepGraph>((resolve) => waiting.push(resolve)) } as unknown as DigitrainApi;
  return { api, answer: (i, step) => waiting[i](graphAt(step)) };
}

function freshStore() {
  return createStore<HowItWorksState>(() => ({ ...howItWorksStore.getInitialState() }));
}

describe('How it works store', () => {
  it('counts each recording that arrives and starts it from the beginning', async () => {
    const store = freshStore();
    const { api, answer } = heldApi();
    const actions = createHowItWorksActions(api, store);
    const first = actions.load();
    answer(0, 5);
    await first;
    expect(store.getState().recordings).toBe(1);
    actions.step(1);
    actions.step(1);
    expect(store.getState().cursor).toBe(2);
    const again = actions.load();
    expect(store.getState().loading).toBe(true);
    answer(1, 9);
    await again;
    expect(store.getState()).toMatchObject({ recordings: 2, cursor: 0, loading: false });
    expect(store.getState().graph?.step).toBe(9);
  });

  it('drops a recording overtaken by a newer request: it neither counts nor moves the cursor', async () => {
    const store = freshStore();
    const { api, answer } = heldApi();
    const actions = createHowItWorksActions(api, store);
    const older = actions.load();
    const newer = actions.load();
    answer(1, 2);
    await newer;
    actions.step(1);
    answer(0, 1);
    await older;
    expect(store.getState()).toMatchObject({ recordings: 1, cursor: 1, loading: false });
    expect(store.getState().graph?.step).toBe(2);
  });
});
