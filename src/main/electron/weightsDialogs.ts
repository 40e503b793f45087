// Electron's native save/open dialogs for weights files, attached to the window that asked.
// The logic (worker bytes, atomic write, size-capped read) is in main/weights/dialogWeights.ts.
import { dialog, type BrowserWindow } from 'electron';
import type { WeightsHandlers } from '../training/requestHandlers';
import type { TrainingHost } from '../training/trainingHost';
import { createDialogWeightsHandlers, type ChooseDirectory, type FileDialogs } from '../weights/dialogWeights';

export function createElectronWeightsHandlers(host: TrainingHost, getWindow: () => BrowserWindow | null): WeightsHandlers {
  return createDialogWeightsHandlers(host, electronDialogs(getWindow));
}

/** Electron's dialogs behind the FileDialogs the hosts' logic takes. */
export function electronDialogs(getWindow: () => BrowserWindow | null): FileDialogs & { chooseDirectory: ChooseDirectory } {
  return {
    async chooseSavePath({ title, defaultName, filters }) {
      const window = getWindow();
      const options = { title, defaultPath: defaultName, filters, properties: ['createDirectory' as const, 'showOverwriteConfirmation' as const] };
      const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    async chooseOpenPath({ title, filters }) {
      const window = getWindow();
      const options = { title, filters, properties: ['openFile' as const] };
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0];
    },
    async chooseDirectory({ title }) {
      const window = getWindow();
      const options = { title, properties: ['openDirectory' as const, 'createDirectory' as const] };
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0];
    },
  };
}
