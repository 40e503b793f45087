// The renderer's single way to the Node side: `window.digitrain` when the Electron
// preload defined it, otherwise a WebSocket client of the web host (created once). Either way
// the requests the learner waits for are listed while they run (state/busy.ts).
import type { DigitrainApi } from '../../shared/contract';
import { trackRequests } from '../state/busy';
import { uiStore } from '../state/store';
import { browserFiles } from './browserFiles';
import { createWebClient } from './webClient';

declare global {
  interface Window {
    digitrain?: DigitrainApi;
  }
}

let api: DigitrainApi | null = null;

export function getApi(): DigitrainApi {
  api ??= trackRequests(window.digitrain ?? createWebClient({ files: browserFiles }), () => uiStore.getState().step);
  return api;
}
