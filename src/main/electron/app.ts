// The Electron shell: thin wiring of window, IPC and the training host. Everything a
// host needs besides that lives in main/training and shared (the web host uses it too).
import { join } from 'node:path';
import { app, type BrowserWindow } from 'electron';
import { createRequestHandlers, type DataHandlers, type WeightsHandlers } from '../training/requestHandlers';
import { TrainingHost } from '../training/trainingHost';
import { wireIpc } from './ipc';
import { registerAppScheme, serveRenderer } from './protocol';
import { createMainWindow } from './window';

export interface ElectronAppOptions {
  /** Save/load/export through native dialogs (weights/dialogWeights.ts); absent ones answer "not available". */
  createWeightsHandlers?: (context: { window: BrowserWindow; host: TrainingHost }) => Partial<WeightsHandlers>;
  /** Runs and the learner's digits, kept in the app's data folder (electron/electronData.ts). */
  createDataHandlers?: (context: { window: BrowserWindow; host: TrainingHost }) => Partial<DataHandlers>;
}

export function startElectronApp(options: ElectronAppOptions = {}): void {
  registerAppScheme();
  // The built app: out/main, out/preload, out/renderer under the app's root (where package.json is).
  const outDir = join(app.getAppPath(), 'out');
  const host = new TrainingHost();
  let unwire: (() => void) | null = null;

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }

  app.whenReady().then(
    () => {
      serveRenderer(join(outDir, 'renderer'));
      const window = createMainWindow(join(outDir, 'preload', 'index.cjs'));
      const weights = options.createWeightsHandlers?.({ window, host }) ?? {};
      const data = options.createDataHandlers?.({ window, host }) ?? {};
      unwire = wireIpc(window, host, createRequestHandlers(host, weights, data));
      window.on('closed', () => {
        unwire?.();
        unwire = null;
      });
      app.on('second-instance', () => {
        if (window.isDestroyed()) return;
        if (window.isMinimized()) window.restore();
        window.focus();
      });
    },
    (error: unknown) => {
      console.error('digitrain: could not start', error);
      app.exit(1);
    },
  );

  app.on('window-all-closed', () => app.quit());
  let disposed = false;
  app.on('before-quit', (event) => {
    if (disposed) return;
    // Terminate the training worker before the process goes.
    event.preventDefault();
    disposed = true;
    host.dispose().finally(() => app.quit());
  });
}
