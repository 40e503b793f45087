// The training worker's weights commands: produce a file's bytes from the live run, and
// replace the live run's model from a file's bytes. Both hosts build on these (Electron
// writes/reads the bytes through native dialogs, the web host hands them to the browser).

import type { LoadResult, TrainConfig } from '../../shared/contract';
import type { WeightsFileBytes, WeightsFileKind } from '../../shared/weightsFiles';
import type { TrainingSession } from '../training/session';
import { Trainer } from '../training/trainer';
import { applyLoad, planLoad } from './applyToTrainer';
import { decodeWeightsFile } from './decode';
import { encodeOnnxExport, encodePytorchExport, encodeWeightsFile } from './encode';
import type { WeightsInfo } from './metadata';
import { checkLoadedOutputs } from './outputCheck';

export interface WeightsCommands {
  weightsFile(kind: WeightsFileKind): WeightsFileBytes;
  loadWeightsFile(name: string, bytes: Uint8Array): LoadResult;
}

export function createWeightsCommands(session: TrainingSession): WeightsCommands {
  const liveTrainer = (): Trainer => {
    const trainer = session.ensureTrainer();
    if (!(trainer instanceof Trainer)) throw new Error('weights files need the real Trainer');
    return trainer;
  };

  return {
    weightsFile(kind) {
      const trainer = liveTrainer();
      const info = weightsInfo(session, trainer);
      const params = trainer.model.stateDict();
      const base = `digitrain-${info.config.hidden}h-step${info.step}`;
      switch (kind) {
        case 'weights':
          return { name: `${base}.safetensors`, bytes: encodeWeightsFile({ ...info, params }) };
        case 'weights+optimizer':
          return { name: `${base}-resume.safetensors`, bytes: encodeWeightsFile({ ...info, params, optimizer: trainer.optimizer.stateDict() }) };
        case 'pytorch':
          return { name: `${base}-pytorch.safetensors`, bytes: encodePytorchExport(params) };
        case 'onnx':
          return { name: `${base}.onnx`, bytes: encodeOnnxExport(params, info) };
      }
    },

    loadWeightsFile(name, bytes) {
      session.assertNotTraining('load weights');
      const loaded = decodeWeightsFile(bytes);
      const plan = planLoad(loaded, session.getState().config);
      checkLoadedOutputs(loaded);
      // Everything is checked: from here on the live run is replaced, and nothing can fail halfway.
      session.reset(plan.config);
      const trainer = liveTrainer();
      applyLoad(trainer, loaded, plan);
      session.modelReplaced(trainer.config);
      return { loaded: true, name, evaluation: session.evaluate() };
    },
  };
}

/** The metadata of a file saved now: the test accuracy only if it was measured on these very weights. */
function weightsInfo(session: TrainingSession, trainer: Trainer): WeightsInfo & { config: TrainConfig } {
  let evaluation = session.getState().lastEvaluation;
  if (evaluation?.step !== trainer.step && !session.isTraining) evaluation = session.evaluate();
  const testAccuracy = evaluation?.step === trainer.step ? evaluation.testAccuracy : null;
  return { config: { ...trainer.config }, step: trainer.step, testAccuracy };
}
