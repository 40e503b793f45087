// Weights files as bytes crossing a boundary: the worker produces them, the web client
// downloads/uploads them, Electron's main process writes/reads them through native
// dialogs. The renderer-facing requests (saveWeights, loadWeights, exportWeights) are
// in contract.ts; these are the byte-level messages beneath them.
import type { SaveResult, WeightsFileBytes } from './contract';
import { ContractError } from './contractError';

export type { WeightsFileBytes };

/** What to produce: the app's file (optionally with optimizer state) or an export. */
export type WeightsFileKind = 'weights' | 'weights+optimizer' | 'pytorch' | 'onnx';

/** A file the worker produced, with the file that goes beside it, if any (a run's weights beside its record). */
export interface ProducedFile extends WeightsFileBytes {
  companion?: WeightsFileBytes;
  /**
   * The PyTorch export: a folder of files (model.py, weights.safetensors, train.py, README.md). A
   * host that can choose a folder writes them there; one that cannot hands over `bytes`, their zip.
   */
  folder?: { name: string; files: WeightsFileBytes[] };
}

/** The web host's answer to saveWeights/exportWeights: the browser client downloads `file` (and its companion), then hands the UI a plain SaveResult. */
export interface WebSaveReply extends SaveResult {
  file: ProducedFile;
}

/**
 * Larger uploads are refused before they reach the worker. The largest valid file, hidden
 * 4096 with Adam state, is 3 × 4096 × 794 × 4 B ≈ 39 MB.
 */
export const MAX_WEIGHTS_FILE_BYTES = 64 * 1024 * 1024;
const MAX_NAME_LENGTH = 255;

/** Why a file of this size is refused; null when it is small enough. One wording for every host. */
export function weightsFileTooLarge(name: string, byteLength: number): string | null {
  if (byteLength <= MAX_WEIGHTS_FILE_BYTES) return null;
  return `"${name}" is ${(byteLength / 1048576).toFixed(1)} MB; weights files are at most ${MAX_WEIGHTS_FILE_BYTES / 1048576} MB`;
}

export function validateWeightsFileBytes(name: unknown, bytes: unknown): WeightsFileBytes {
  if (typeof name !== 'string' || name.length > MAX_NAME_LENGTH) {
    throw new ContractError(`file name must be a string of at most ${MAX_NAME_LENGTH} characters`);
  }
  if (!(bytes instanceof Uint8Array)) throw new ContractError('file contents must be bytes (a Uint8Array)');
  if (bytes.byteLength === 0) throw new ContractError(`"${name}" is empty`);
  const tooLarge = weightsFileTooLarge(name, bytes.byteLength);
  if (tooLarge) throw new ContractError(tooLarge);
  return { name, bytes };
}
