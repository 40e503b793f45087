// The renderer's single way to the Node side: `window.digitrain` when the Electron
// preload defined it, otherwise a WebSocket client of the web host (created once).
import type { DigitrainApi } from '../../shared/contract';
import { browserFiles } from './browserFiles';
import { createWebClient } from './webClient';

declare global {
  interface Window {
    digitrain?: DigitrainApi;
  }
}

let webClient: DigitrainApi | null = null;

export function getApi(): DigitrainApi {
  if (window.digitrain) return window.digitrain;
  webClient ??= createWebClient({ files: browserFiles });
  return webClient;
}
