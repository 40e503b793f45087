// Runs and the learner's digits in the Electron app: kept under app.getPath('userData'); a run
// is exported through a save dialog (its weights beside the record), the digits into a folder
// the learner picks.
import { app, type BrowserWindow } from 'electron';
import { createMyDigitsService } from '../digits/digitHandlers';
import { DigitStore } from '../digits/digitStore';
import { digitsDirIn, runsDirIn } from '../files/dataDir';
import { extname } from 'node:path';
import { createRunService } from '../runs/runHandlers';
import { RunStore } from '../runs/runStore';
import type { DataHandlers } from '../training/requestHandlers';
import type { TrainingHost } from '../training/trainingHost';
import { saveWithDialog } from '../weights/dialogWeights';
import { electronDialogs } from './weightsDialogs';

/** The save dialog's filter for a run's export, by its extension (a TensorBoard event file has no fixed one). */
const RUN_FILTERS: Record<string, { name: string; extensions: string[] }> = {
  '.json': { name: 'Digitrain run', extensions: ['json'] },
  '.csv': { name: 'CSV', extensions: ['csv'] },
};

export function createElectronDataHandlers(host: TrainingHost, getWindow: () => BrowserWindow | null): DataHandlers {
  const dataDir = app.getPath('userData');
  const dialogs = electronDialogs(getWindow);
  const runs = createRunService(host, new RunStore(runsDirIn(dataDir)), (file, title) =>
    saveWithDialog(dialogs, file, title, [RUN_FILTERS[extname(file.name)] ?? { name: 'TensorBoard event file', extensions: ['*'] }]),
  );
  const digits = createMyDigitsService(host, new DigitStore(digitsDirIn(dataDir)), () => dialogs.chooseDirectory({ title: 'Export your digits into a folder' }));
  return { ...runs.handlers, ...digits.handlers };
}
