// A scripted DigitrainApi for store tests: requests answer from a small state
// machine; `emit` plays the Node side pushing events.
import { CONTRACT_VERSION, defaultConfig, networkChanges, type AppState, type Classification, type DigitrainApi, type EventMap, type EventName, type TrainConfig } from '../../src/shared/contract';

type Listeners = { [E in EventName]: Set<(payload: EventMap[E]) => void> };

export interface FakeApi extends DigitrainApi {
  emit<E extends EventName>(event: E, payload: EventMap[E]): void;
  app: AppState;
  calls: string[];
  classifyResult: Classification | Error;
}

export function createFakeApi(initial: Partial<AppState> = {}): FakeApi {
  const listeners: Listeners = {
    status: new Set(),
    metrics: new Set(),
    evaluation: new Set(),
    weights: new Set(),
    error: new Set(),
    runSaved: new Set(),
    health: new Set(),
    connection: new Set(),
  };
  const notScripted = async (): Promise<never> => {
    throw new Error('not scripted');
  };
  const app: AppState = {
    version: CONTRACT_VERSION,
    status: 'idle',
    error: null,
    config: defaultConfig(),
    step: 0,
    epoch: 0,
    lastEvaluation: null,
    history: { step: [], loss: [], accuracy: [], evaluations: [] },
    settings: [],
    run: { id: 1, origin: 'start', file: null },
    weights: null,
    ...initial,
  };
  // Like the Node side: only getState carries the weights.
  const snapshot = (): AppState => ({ ...structuredClone(app), weights: null });
  const api: FakeApi = {
    app,
    calls: [],
    classifyResult: { predicted: 3, probabilities: [0, 0, 0, 0.9, 0.1, 0, 0, 0, 0, 0], activations: [] },
    emit(event, payload) {
      for (const l of listeners[event]) l(payload);
    },
    on(event, listener) {
      listeners[event].add(listener);
      return () => listeners[event].delete(listener);
    },
    async getState() {
      api.calls.push('getState');
      return structuredClone(app);
    },
    async train(config: Partial<TrainConfig>) {
      api.calls.push('train');
      if (networkChanges(app.config, { ...app.config, ...config }).length > 0) {
        throw new Error('the network changed: reset first');
      }
      Object.assign(app.config, config);
      app.status = 'training';
      return snapshot();
    },
    async applySettings(config: Partial<TrainConfig>) {
      api.calls.push('applySettings');
      if (app.status === 'training') Object.assign(app.config, config);
      return snapshot();
    },
    async step(config: Partial<TrainConfig>, count: number) {
      api.calls.push(`step ${count}`);
      Object.assign(app.config, config);
      app.step += count;
      return snapshot();
    },
    async stop() {
      api.calls.push('stop');
      app.status = 'idle';
      return snapshot();
    },
    restoreBest: notScripted,
    listRuns: notScripted,
    getRuns: notScripted,
    renameRun: notScripted,
    deleteRun: notScripted,
    openRun: notScripted,
    exportRun: notScripted,
    listMyDigits: notScripted,
    addMyDigits: notScripted,
    deleteMyDigit: notScripted,
    evaluateMyDigits: notScripted,
    exportMyDigits: notScripted,
    testPage: notScripted,
    inspectUnit: notScripted,
    async reset(config: Partial<TrainConfig>) {
      api.calls.push('reset');
      Object.assign(app.config, config);
      app.step = 0;
      app.epoch = 0;
      app.history = { step: [], loss: [], accuracy: [], evaluations: [] };
      app.run = { id: app.run.id + 1, origin: 'reset', file: null };
      return snapshot();
    },
    async evaluate() {
      throw new Error('not scripted');
    },
    explain: notScripted,
    stepGraph: notScripted,
    getHealth: async () => ({ run: app.run.id, samples: [], diverged: null }),
    async classify() {
      api.calls.push('classify');
      if (api.classifyResult instanceof Error) throw api.classifyResult;
      return api.classifyResult;
    },
    async saveWeights() {
      return { saved: false, name: null };
    },
    async loadWeights() {
      return { loaded: false, name: null, evaluation: null };
    },
    async exportWeights() {
      return { saved: false, name: null };
    },
  };
  return api;
}
