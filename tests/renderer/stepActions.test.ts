// Step in the renderer: presses made while a step request is out are added up into the next
// one (none lost, one request at a time), and the rate each metrics event reports is kept for
// the learning-rate curve's marker.
import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { createActions } from '../../src/renderer/state/actions';
import { connectStore, type Scheduler } from '../../src/renderer/state/connect';
import { initialUiState, type UiState } from '../../src/renderer/state/store';
import { createFakeApi } from './fakeApi';

const immediate: Scheduler = (flush) => {
  flush();
  return () => {};
};
const flush = () => new Promise((r) => setTimeout(r, 0));

function setup() {
  const api = createFakeApi();
  const store = createStore<UiState>(() => initialUiState());
  connectStore(api, store, immediate);
  return { api, store, actions: createActions(api, store) };
}

describe('Step', () => {
  it('sends presses made while a step is out together, after it returns', async () => {
    const { api, store, actions } = setup();
    await flush();
    const first = actions.step(1);
    void actions.step(1);
    void actions.step(10);
    await first;
    expect(api.calls.filter((c) => c.startsWith('step'))).toEqual(['step 1', 'step 11']);
    expect(store.getState().step).toBe(12);
  });

  it('does nothing while training or before the trainer answered', async () => {
    const { api, store, actions } = setup();
    await actions.step(1);
    expect(api.calls).not.toContain('step 1');
    await flush();
    store.setState({ status: 'training' });
    await actions.step(1);
    expect(api.calls.filter((c) => c.startsWith('step'))).toEqual([]);
  });

  it('keeps the learning rate of the latest step reported', async () => {
    const { api, store } = setup();
    await flush();
    api.emit('metrics', { firstStep: 1, loss: [2, 1.9], accuracy: [0.1, 0.2], samplesPerSecond: 100, epoch: 0.001, lr: 0.0009 });
    expect(store.getState().lr).toEqual({ step: 2, value: 0.0009 });
  });
});
