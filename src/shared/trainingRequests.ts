// The requests that go to the trainer unchanged, whatever carries them (Electron IPC or
// the web host's WebSocket): each client supplies `call` and gets the typed methods.
import type { DigitrainApi } from './contract';
import type { RequestName } from './rpc';

export type CallRequest = (method: RequestName, args: unknown[]) => Promise<unknown>;

export type TrainingRequests = Pick<
  DigitrainApi,
  | 'getState'
  | 'train'
  | 'applySettings'
  | 'step'
  | 'stop'
  | 'restoreBest'
  | 'reset'
  | 'evaluate'
  | 'classify'
  | 'listRuns'
  | 'getRuns'
  | 'renameRun'
  | 'deleteRun'
  | 'openRun'
  | 'listMyDigits'
  | 'addMyDigits'
  | 'deleteMyDigit'
  | 'evaluateMyDigits'
  | 'exportMyDigits'
  | 'testPage'
  | 'inspectUnit'
  | 'explain'
  | 'getHealth'
  | 'stepGraph'
>;

export function trainingRequests(call: CallRequest): TrainingRequests {
  return {
    getState: () => call('getState', []) as ReturnType<DigitrainApi['getState']>,
    train: (config) => call('train', [config]) as ReturnType<DigitrainApi['train']>,
    applySettings: (config) => call('applySettings', [config]) as ReturnType<DigitrainApi['applySettings']>,
    step: (config, count) => call('step', [config, count]) as ReturnType<DigitrainApi['step']>,
    stop: () => call('stop', []) as ReturnType<DigitrainApi['stop']>,
    restoreBest: () => call('restoreBest', []) as ReturnType<DigitrainApi['restoreBest']>,
    reset: (config) => call('reset', [config]) as ReturnType<DigitrainApi['reset']>,
    evaluate: () => call('evaluate', []) as ReturnType<DigitrainApi['evaluate']>,
    classify: (pixels) => call('classify', [pixels]) as ReturnType<DigitrainApi['classify']>,
    listRuns: () => call('listRuns', []) as ReturnType<DigitrainApi['listRuns']>,
    getRuns: (ids) => call('getRuns', [ids]) as ReturnType<DigitrainApi['getRuns']>,
    renameRun: (id, name) => call('renameRun', [id, name]) as ReturnType<DigitrainApi['renameRun']>,
    deleteRun: (id) => call('deleteRun', [id]) as ReturnType<DigitrainApi['deleteRun']>,
    openRun: (id) => call('openRun', [id]) as ReturnType<DigitrainApi['openRun']>,
    listMyDigits: () => call('listMyDigits', []) as ReturnType<DigitrainApi['listMyDigits']>,
    addMyDigits: (digits) => call('addMyDigits', [digits]) as ReturnType<DigitrainApi['addMyDigits']>,
    deleteMyDigit: (id) => call('deleteMyDigit', [id]) as ReturnType<DigitrainApi['deleteMyDigit']>,
    evaluateMyDigits: () => call('evaluateMyDigits', []) as ReturnType<DigitrainApi['evaluateMyDigits']>,
    // Both hosts write the folder themselves (a dialog in Electron, the data folder on the web).
    exportMyDigits: () => call('exportMyDigits', []) as ReturnType<DigitrainApi['exportMyDigits']>,
    testPage: (query) => call('testPage', [query]) as ReturnType<DigitrainApi['testPage']>,
    inspectUnit: (query) => call('inspectUnit', [query]) as ReturnType<DigitrainApi['inspectUnit']>,
    explain: (pixels) => call('explain', [pixels]) as ReturnType<DigitrainApi['explain']>,
    getHealth: () => call('getHealth', []) as ReturnType<DigitrainApi['getHealth']>,
    stepGraph: (query) => call('stepGraph', [query]) as ReturnType<DigitrainApi['stepGraph']>,
  };
}
