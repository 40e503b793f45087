// Weights requests for a host with native file dialogs (Electron): main asks the user for a
// path, the worker makes or checks the bytes, main writes (atomically) or reads the file.
// The renderer never names a path. The dialogs are injected, so this runs without Electron.
import { mkdir } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { ExportFormat, LoadResult, SaveResult } from '../../shared/contract';
import type { ProducedFile, WeightsFileKind } from '../../shared/weightsFiles';
import { atomicWriteFile } from '../files/atomicWrite';
import type { WeightsHandlers } from '../training/requestHandlers';
import type { TrainingHost } from '../training/trainingHost';
import { readWeightsFile } from './readWeightsFile';

export interface FileFilter {
  name: string;
  extensions: string[];
}

export interface FileDialogs {
  /** The chosen path, or null when the user cancelled. */
  chooseSavePath(options: { title: string; defaultName: string; filters: FileFilter[] }): Promise<string | null>;
  chooseOpenPath(options: { title: string; filters: FileFilter[] }): Promise<string | null>;
}

/** A folder to write into (exports of the learner's digits), or null when the user cancelled. */
export type ChooseDirectory = (options: { title: string }) => Promise<string | null>;

/** Asks for a path for `file` and writes it there (atomically), its companion beside it under the same name. */
export async function saveWithDialog(dialogs: FileDialogs, file: ProducedFile, title: string, filters: FileFilter[]): Promise<SaveResult> {
  const path = await dialogs.chooseSavePath({ title, defaultName: file.name, filters });
  if (path === null) return { saved: false, name: null };
  await atomicWriteFile(path, file.bytes);
  if (!file.companion) return { saved: true, name: path };
  // Beside it, under the same name: model.py finds its weights by its own name, a run's record its weights.
  const companion = join(dirname(path), basename(path, extname(path)) + extname(file.companion.name));
  await atomicWriteFile(companion, file.companion.bytes);
  return { saved: true, name: path, companion };
}

const SAFETENSORS: FileFilter = { name: 'safetensors weights', extensions: ['safetensors'] };
const ONNX: FileFilter = { name: 'ONNX model', extensions: ['onnx'] };
const ZIP: FileFilter = { name: 'ZIP archive', extensions: ['zip'] };

const TITLES: Record<WeightsFileKind, string> = {
  weights: 'Save weights',
  'weights+optimizer': 'Save weights with optimizer state',
  pytorch: 'Export weights for PyTorch',
  onnx: 'Export ONNX model',
};

/**
 * Asks for a folder and writes the PyTorch export's files into a new folder of its own name there
 * (each file atomically). Null when the user cancelled.
 */
export async function saveFolderWithDialog(chooseDirectory: ChooseDirectory, folder: NonNullable<ProducedFile['folder']>): Promise<SaveResult> {
  const parent = await chooseDirectory({ title: `Export for PyTorch: where to put the folder ${folder.name}` });
  if (parent === null) return { saved: false, name: null };
  const path = join(parent, folder.name);
  await mkdir(path, { recursive: true });
  for (const file of folder.files) await atomicWriteFile(join(path, file.name), file.bytes);
  return { saved: true, name: path };
}

/** With `chooseDirectory`, the PyTorch export is written as a folder; without it, as its zip. */
export function createDialogWeightsHandlers(host: TrainingHost, dialogs: FileDialogs & { chooseDirectory?: ChooseDirectory }): WeightsHandlers {
  const save = async (kind: WeightsFileKind): Promise<SaveResult> => {
    // The bytes first: a worker error (e.g. no model) is reported before any dialog opens.
    const file = await host.request('weightsFile', { kind });
    if (file.folder && dialogs.chooseDirectory) return saveFolderWithDialog(dialogs.chooseDirectory, file.folder);
    return saveWithDialog(dialogs, file, TITLES[kind], [kind === 'onnx' ? ONNX : kind === 'pytorch' ? ZIP : SAFETENSORS]);
  };
  return {
    saveWeights: (options) => save(options.includeOptimizer ? 'weights+optimizer' : 'weights'),
    exportWeights: (format: ExportFormat) => save(format),
    loadWeights: async (file): Promise<LoadResult> => {
      // A file the page already has (validated where it entered) is loaded as it is; otherwise the user picks one.
      if (file) return host.request('loadWeightsFile', file);
      const path = await dialogs.chooseOpenPath({ title: 'Load weights', filters: [SAFETENSORS] });
      if (path === null) return { loaded: false, name: null, evaluation: null };
      const bytes = await readWeightsFile(path);
      return host.request('loadWeightsFile', { name: basename(path), bytes });
    },
  };
}
