// The training worker's weights commands: produce a file's bytes from the live run, and
// replace the live run from a file's bytes. Both hosts build on these (Electron writes and
// reads the bytes through native dialogs, the web host hands them to the browser).

import type { LoadResult, TrainConfig } from '../../shared/contract';
import { ContractError } from '../../shared/contractError';
import { trainingProblem } from '../../shared/model/cost';
import { ModelSpecError } from '../../shared/model/validateSpec';
import { hyperNamesOf } from '../../shared/optimizers';
import { validateOptimizerConfig } from '../../shared/validate';
import type { ReopenedRun } from '../../shared/runs';
import type { ProducedFile, WeightsFileKind } from '../../shared/weightsFiles';
import type { TrainingSession } from '../training/session';
import type { Checkpoint } from '../training/trainer';
import { decodeWeightsFile, type LoadedWeights } from './decode';
import { encodeOnnxExport, encodeWeightsFile } from './encode';
import { WeightsFileError } from './format';
import type { WeightsInfo } from './metadata';
import { mnistDataDirectory } from '../data/loadMnist';
import { modelSlug, pytorchFolder, zipFolder } from '../model/pytorchFolder';
import { checkLoadedOutputs } from './outputCheck';
import { loadedStateDict } from './stateDict';

export interface WeightsCommands {
  weightsFile(kind: WeightsFileKind): ProducedFile;
  /** With `run`, the file is a kept run's weights: its stored settings are taken as well. */
  loadWeightsFile(name: string, bytes: Uint8Array, run?: ReopenedRun): LoadResult;
}

export function createWeightsCommands(session: TrainingSession): WeightsCommands {
  return {
    weightsFile(kind) {
      const trainer = session.ensureTrainer();
      const evaluation = session.currentEvaluation();
      // The test accuracy only if it was measured on these very weights.
      const info: WeightsInfo = { config: trainer.config, step: trainer.step, testAccuracy: evaluation?.testAccuracy ?? null };
      const params = trainer.weights();
      const base = `digitrain-${modelSlug(info.config.model)}-step${info.step}`;
      switch (kind) {
        case 'weights':
          return { name: `${base}.safetensors`, bytes: encodeWeightsFile({ ...info, params }) };
        case 'weights+optimizer':
          return { name: `${base}-resume.safetensors`, bytes: encodeWeightsFile({ ...info, params, optimizer: trainer.optimizerState() }) };
        case 'pytorch': {
          // The folder (model.py, weights.safetensors, train.py, README.md), and its zip for hosts that download one file.
          const folder = pytorchFolder({ ...info, params, dataDir: mnistDataDirectory() });
          const zip = zipFolder(folder);
          return { name: zip.name, bytes: zip.bytes, folder };
        }
        case 'onnx':
          return { name: `${base}.onnx`, bytes: encodeOnnxExport(info.config.model, params, info) };
      }
    },

    loadWeightsFile(name, bytes, run) {
      const loaded = decodeWeightsFile(bytes);
      checkLoadedOutputs(loaded);
      if (session.isTraining) throw new Error('cannot load weights while training: stop first');
      const current = session.currentConfig;
      // A kept run comes back with the settings it was trained with; a file keeps the panel's.
      const { config, checkpoint } = planRestore(loaded, run ? { ...current, ...loaded.metadata.settings } : current);
      // Before anything is allocated: the file may be fine and the batch size too large for its model.
      const tooBig = trainingProblem(config.model, config.batchSize);
      if (tooBig) throw new Error(`the file is fine, but its model does not fit the memory budget at batch size ${config.batchSize}: ${tooBig}`);
      let evaluation;
      try {
        evaluation = session.restore(config, checkpoint, name, run ? `run "${run.name}"` : `weights file ${name}`, run);
      } catch (error) {
        // Memory running out says nothing about the file.
        if (isMemoryError(error)) throw new Error(`the file is fine, but there is not enough memory to build its model: ${(error as Error).message}`);
        // Everything was checked against the spec; what is left is the engine refusing a state (nothing changed).
        throw new WeightsFileError(`the file's state does not fit its model: ${(error as Error).message}`);
      }
      return { loaded: true, name, evaluation };
    },
  };
}

/** The run a file continues: its model, its optimizer when it has one, the rest of the current settings. */
export function planRestore(loaded: LoadedWeights, current: TrainConfig): { config: TrainConfig; checkpoint: Checkpoint } {
  const config: TrainConfig = { ...current, model: loaded.spec };
  const state = loaded.optimizer;
  if (state) {
    const hyper: Record<string, number> = {};
    for (const key of hyperNamesOf(state.kind)) if (Object.hasOwn(state.hyper, key)) hyper[key] = state.hyper[key];
    try {
      config.optimizer = validateOptimizerConfig({ type: state.kind, hyper });
      // The state's lr is its schedule's at the last step; the file's settings hold the base rate and the schedule.
      const stored = loaded.metadata.settings.optimizer;
      if (stored?.type === state.kind) config.optimizer = { ...config.optimizer, hyper: { ...config.optimizer.hyper, lr: stored.hyper.lr }, schedule: stored.schedule };
    } catch (error) {
      if (error instanceof ContractError) throw new WeightsFileError(`the optimizer state cannot be trained with: ${error.message}`);
      throw error;
    }
  }
  const step = loaded.metadata.step ?? state?.step ?? 0;
  const batchSize = loaded.metadata.settings.batchSize ?? config.batchSize;
  return { config, checkpoint: { params: loadedStateDict(loaded), optimizer: state, step, samplesSeen: step * batchSize, random: loaded.metadata.random } };
}

/** The engine ran out of memory (its WASM memory, or the JavaScript heap), rather than refusing the state. */
function isMemoryError(error: unknown): boolean {
  return error instanceof RangeError || error instanceof ModelSpecError || (error instanceof Error && /^WASM memory|out of memory/i.test(error.message));
}
