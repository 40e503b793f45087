// Reading a weights file: everything is checked — safetensors structure, names, dtypes,
// shapes against the architecture, finite values, optimizer state — before anything is
// returned, so the caller can swap the live model only for a file known to be good.
// Accepts Digitrain files and plain PyTorch `state_dict` files of the same MLP.

import { decodeSafetensors, SafetensorsError, type DecodedSafetensors } from '../../engine/io/safetensors';
import type { OptimizerState } from '../../engine/optim';
import {
  CLASSES,
  INPUT_FEATURES,
  MAX_HIDDEN,
  OPTIM_PREFIX,
  PARAM_NAMES,
  paramShapes,
  sameShape,
  shapeText,
  WeightsFileError,
  type ParamName,
} from './format';
import { parseWeightsMetadata, type ParsedMetadata } from './metadata';
import { firstNonFinite, optimizerFromTensors } from './optimizerTensors';

export interface LoadedWeights {
  hidden: number;
  /** Parameter values in PyTorch layout, shapes already checked. */
  params: Map<ParamName, { data: Float32Array; shape: number[] }>;
  optimizer: OptimizerState | null;
  metadata: ParsedMetadata;
}

export function decodeWeightsFile(bytes: Uint8Array): LoadedWeights {
  let file: DecodedSafetensors;
  try {
    file = decodeSafetensors(bytes);
  } catch (error) {
    if (error instanceof SafetensorsError) throw new WeightsFileError(`not a valid safetensors file: ${error.message}`);
    throw error;
  }
  const { tensors } = file;
  const metadata = parseWeightsMetadata(file.metadata);

  const known: readonly string[] = PARAM_NAMES;
  for (const name of tensors.keys()) {
    if (!known.includes(name) && !name.startsWith(OPTIM_PREFIX)) {
      throw new WeightsFileError(`unknown tensor "${name}" (a Digitrain MLP file holds ${PARAM_NAMES.join(', ')} and optional optim.* state)`);
    }
  }
  for (const name of PARAM_NAMES) {
    const record = tensors.get(name);
    if (!record) throw new WeightsFileError(`missing tensor "${name}"`);
    if (record.dtype !== 'F32') throw new WeightsFileError(`tensor "${name}" is ${record.dtype}; Digitrain weights must be F32`);
  }

  const hidden = architectureHidden(metadata, tensors.get('l1.weight')?.shape ?? []);
  const shapes = paramShapes(hidden);
  const source = metadata.architecture ? 'the architecture in the metadata' : `the architecture inferred from l1.weight`;
  const params = new Map<ParamName, { data: Float32Array; shape: number[] }>();
  for (const name of PARAM_NAMES) {
    const record = tensors.get(name);
    if (!record) throw new WeightsFileError(`missing tensor "${name}"`);
    if (!sameShape(record.shape, shapes[name])) {
      throw new WeightsFileError(
        `tensor "${name}" has shape ${shapeText(record.shape)} but ${source} (${INPUT_FEATURES}-${hidden}-${CLASSES}) needs ${shapeText(shapes[name])}`,
      );
    }
    const data = record.data as Float32Array;
    const bad = firstNonFinite(data);
    if (bad >= 0) throw new WeightsFileError(`tensor "${name}" contains ${data[bad]} at index ${bad}; weights must be finite`);
    params.set(name, { data, shape: record.shape });
  }

  const optimizer = optimizerFromTensors(tensors, file.metadata, shapes);
  return { hidden, params, optimizer, metadata };
}

function architectureHidden(metadata: ParsedMetadata, l1Shape: readonly number[]): number {
  let hidden: number;
  if (metadata.architecture) {
    const [input, h, output] = metadata.architecture.layers;
    if (input !== INPUT_FEATURES || output !== CLASSES) {
      throw new WeightsFileError(
        `the file's architecture is ${input}-${h}-${output}; Digitrain trains ${INPUT_FEATURES}-hidden-${CLASSES} MNIST models`,
      );
    }
    hidden = h;
  } else {
    if (l1Shape.length !== 2) throw new WeightsFileError(`tensor "l1.weight" has shape ${shapeText(l1Shape)}; it must be 2-D [hidden, ${INPUT_FEATURES}]`);
    hidden = l1Shape[0];
  }
  if (!(hidden >= 1 && hidden <= MAX_HIDDEN)) {
    throw new WeightsFileError(`hidden size ${hidden} is outside 1..${MAX_HIDDEN}`);
  }
  const configured = metadata.hyperparameters.hidden;
  if (configured !== undefined && configured !== hidden) {
    throw new WeightsFileError(`metadata hyperparameters say hidden = ${configured} but the architecture has ${hidden}`);
  }
  return hidden;
}
