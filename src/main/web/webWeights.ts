// Weights requests in the browser host: the worker makes the bytes and the browser client
// downloads them (blob + <a download>); an upload arrives as bytes with loadWeights(file).
// The server never touches the file system for weights.
import type { ExportFormat, WeightsFileBytes } from '../../shared/contract';
import type { WebSaveReply, WeightsFileKind } from '../../shared/weightsFiles';
import type { WeightsHandlers } from '../training/requestHandlers';
import type { TrainingHost } from '../training/trainingHost';

export function createWebWeightsHandlers(host: TrainingHost): WeightsHandlers {
  const download = async (kind: WeightsFileKind): Promise<WebSaveReply> => {
    // The browser cannot be handed a folder: the PyTorch export goes as its zip (the folder's files are not sent twice).
    const { folder: _folder, ...file } = await host.request('weightsFile', { kind });
    return { saved: true, name: file.name, file };
  };
  return {
    saveWeights: (options) => download(options.includeOptimizer ? 'weights+optimizer' : 'weights'),
    exportWeights: (format: ExportFormat) => download(format),
    loadWeights: async (file?: WeightsFileBytes) => {
      if (!file) throw new Error('choose a weights file to upload (the browser host cannot open files by itself)');
      return host.request('loadWeightsFile', file);
    },
  };
}
