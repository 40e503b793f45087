// The requests that go to the trainer unchanged, whatever carries them (Electron IPC or
// the web host's WebSocket): each client supplies `call` and gets the typed methods.
import type { DigitrainApi } from './contract';
import type { RequestName } from './rpc';

export type CallRequest = (method: RequestName, args: unknown[]) => Promise<unknown>;

export type TrainingRequests = Pick<DigitrainApi, 'getState' | 'train' | 'stop' | 'reset' | 'evaluate' | 'classify'>;

export function trainingRequests(call: CallRequest): TrainingRequests {
  return {
    getState: () => call('getState', []) as ReturnType<DigitrainApi['getState']>,
    train: (config) => call('train', [config]) as ReturnType<DigitrainApi['train']>,
    stop: () => call('stop', []) as ReturnType<DigitrainApi['stop']>,
    reset: (config) => call('reset', [config]) as ReturnType<DigitrainApi['reset']>,
    evaluate: () => call('evaluate', []) as ReturnType<DigitrainApi['evaluate']>,
    classify: (pixels) => call('classify', [pixels]) as ReturnType<DigitrainApi['classify']>,
  };
}
