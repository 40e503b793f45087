// The contract's requests, implemented on top of the training host. Both hosts (Electron
// IPC, the web host's WebSocket) validate a request and then call `handleRequest`, so
// they behave the same. Weights requests need a host-specific UI (native dialogs in
// Electron, download/upload in the browser): each host passes its own handlers.
import type { RequestArgs, RequestName, RequestResult } from '../../shared/rpc';
import type { ValidatedRequest } from '../../shared/validate';
import type { TrainingHost } from './trainingHost';

export type RequestHandlers = { [K in RequestName]: (...args: RequestArgs<K>) => Promise<RequestResult<K>> };
export type WeightsHandlers = Pick<RequestHandlers, 'saveWeights' | 'loadWeights' | 'exportWeights'>;

function unavailable(what: string): () => Promise<never> {
  return () => Promise.reject(new Error(`${what} is not available in this version of Digitrain yet`));
}

export function createRequestHandlers(host: TrainingHost, weights: Partial<WeightsHandlers> = {}): RequestHandlers {
  return {
    getState: () => host.request('getState', {}),
    train: (config) => host.request('train', { config }),
    stop: () => host.request('stop', {}),
    reset: (config) => host.request('reset', { config }),
    evaluate: () => host.request('evaluate', {}),
    classify: (pixels) => host.request('classify', { pixels }),
    saveWeights: weights.saveWeights ?? unavailable('saving weights'),
    loadWeights: weights.loadWeights ?? unavailable('loading weights'),
    exportWeights: weights.exportWeights ?? unavailable('exporting weights'),
  };
}

export function handleRequest(handlers: RequestHandlers, request: ValidatedRequest): Promise<unknown> {
  const handler = handlers[request.method] as (...args: unknown[]) => Promise<unknown>;
  return handler(...request.args);
}
