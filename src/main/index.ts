// Electron's main process entry (built to out/main/main/index.js; package.json "main").
import { startElectronApp } from './electron/app';
import { createElectronDataHandlers } from './electron/electronData';
import { createElectronWeightsHandlers } from './electron/weightsDialogs';

startElectronApp({
  createWeightsHandlers: ({ window, host }) => createElectronWeightsHandlers(host, () => (window.isDestroyed() ? null : window)),
  createDataHandlers: ({ window, host }) => createElectronDataHandlers(host, () => (window.isDestroyed() ? null : window)),
});
