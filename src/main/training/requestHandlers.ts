// The contract's requests, implemented on top of the training host. Both hosts (Electron
// IPC, the web host's WebSocket) validate a request and then call `handleRequest`, so
// they behave the same. Weights requests need a host-specific UI (native dialogs in
// Electron, download/upload in the browser): each host passes its own handlers.
import type { RequestArgs, RequestName, RequestResult } from '../../shared/rpc';
import type { ValidatedRequest } from '../../shared/validate';
import type { TrainingHost } from './trainingHost';
import { withRequestSignal } from './cancelBoard';

export type RequestHandlers = { [K in RequestName]: (...args: RequestArgs<K>) => Promise<RequestResult<K>> };
export type WeightsHandlers = Pick<RequestHandlers, 'saveWeights' | 'loadWeights' | 'exportWeights'>;
/** What needs the host's data folder (runs/runHandlers.ts, digits/digitHandlers.ts); absent ones answer "not available". */
export type DataHandlers = Pick<
  RequestHandlers,
  'listRuns' | 'getRuns' | 'renameRun' | 'deleteRun' | 'openRun' | 'exportRun' | 'listMyDigits' | 'addMyDigits' | 'deleteMyDigit' | 'evaluateMyDigits' | 'exportMyDigits'
>;

function unavailable(what: string): () => Promise<never> {
  return () => Promise.reject(new Error(`${what} is not available in this version of Digitrain yet`));
}

export function createRequestHandlers(host: TrainingHost, weights: Partial<WeightsHandlers> = {}, data: Partial<DataHandlers> = {}): RequestHandlers {
  const noRuns = unavailable('keeping runs');
  const noDigits = unavailable('keeping your digits');
  return {
    getState: () => host.request('getState', {}),
    train: (config) => host.request('train', { config }),
    applySettings: (config) => host.request('applySettings', { config }),
    step: (config, count) => host.request('step', { config, count }),
    stop: () => host.request('stop', {}),
    restoreBest: () => host.request('restoreBest', {}),
    reset: (config) => host.request('reset', { config }),
    evaluate: () => host.request('evaluate', {}),
    classify: (pixels) => host.request('classify', { pixels }),
    saveWeights: weights.saveWeights ?? unavailable('saving weights'),
    loadWeights: weights.loadWeights ?? unavailable('loading weights'),
    exportWeights: weights.exportWeights ?? unavailable('exporting weights'),
    listRuns: data.listRuns ?? noRuns,
    getRuns: data.getRuns ?? noRuns,
    renameRun: data.renameRun ?? noRuns,
    deleteRun: data.deleteRun ?? noRuns,
    openRun: data.openRun ?? noRuns,
    exportRun: data.exportRun ?? noRuns,
    listMyDigits: data.listMyDigits ?? noDigits,
    addMyDigits: data.addMyDigits ?? noDigits,
    deleteMyDigit: data.deleteMyDigit ?? noDigits,
    // Measuring needs no data folder: with no digits given to the worker, there is nothing to measure.
    evaluateMyDigits: data.evaluateMyDigits ?? (() => host.request('evaluateMyDigits', {})),
    exportMyDigits: data.exportMyDigits ?? noDigits,
    testPage: (query) => host.request('testPage', { query }),
    inspectUnit: (query) => host.request('inspectUnit', { query }),
    explain: (pixels) => host.request('explain', { pixels }),
    getHealth: () => host.request('getHealth', {}),
    stepGraph: (query) => host.request('stepGraph', { query }),
  };
}

/** Runs a validated request; `signal` (the client called it off) reaches every worker command it sends (cancelBoard.ts). */
export function handleRequest(handlers: RequestHandlers, request: ValidatedRequest, signal?: AbortSignal): Promise<unknown> {
  const handler = handlers[request.method] as (...args: unknown[]) => Promise<unknown>;
  return withRequestSignal(signal, () => handler(...request.args));
}
