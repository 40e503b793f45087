// Reading a weights file: everything is checked — safetensors structure, the model the file
// describes, tensor names, dtypes, shapes against that model, finite values, optimizer
// state — before anything is returned, so the caller can swap the live model only for a
// file known to be good. Accepts Digitrain files (both format versions) and plain PyTorch
// `state_dict` files of the seed's MLP (l1, l2).

import { decodeSafetensors, SafetensorsError, type DecodedSafetensors, type TensorRecord } from '../../engine/io/safetensors';
import { MNIST_PIXELS } from '../../shared/mnist';
import type { ModelInfo } from '../../shared/model/describe';
import { formatShape, sameShape } from '../../shared/model/shape';
import { mlpSpec, type ModelSpec } from '../../shared/model/spec';
import { inspectModelSpec, ModelCostError, ModelSpecError } from '../../shared/model/validateSpec';
import { OPTIM_PREFIX, WeightsFileError } from './format';
import { describeForeignFile, LOAD_EXPECTS } from './foreignFile';
import { parseWeightsMetadata, type ParsedMetadata } from './metadata';
import { firstNonFinite } from './finite';
import { optimizerFromTensors, type RegisteredOptimizerState } from './optimizerTensors';

export interface LoadedWeights {
  spec: ModelSpec;
  info: ModelInfo;
  /** The state dict (parameters and buffers) in PyTorch layout, shapes already checked. */
  tensors: Map<string, { data: Float32Array; shape: number[] }>;
  optimizer: RegisteredOptimizerState | null;
  metadata: ParsedMetadata;
}

/**
 * A file of no known kind whose first 8 bytes, read as a safetensors header length, are absurd
 * is not a damaged weights file but something else (issue 25: a random file was refused with
 * "header length 9512328969719703674 exceeds the limit"); other reader errors keep their words.
 */
function plainly(message: string): string {
  if (/^header length \d+ exceeds the limit/.test(message)) {
    return `it is not a weights file: a weights file (safetensors) begins with the size of its description, and this one's first bytes are no such size. ${LOAD_EXPECTS}`;
  }
  return message;
}

export function decodeWeightsFile(bytes: Uint8Array): LoadedWeights {
  let file: DecodedSafetensors;
  try {
    file = decodeSafetensors(bytes);
  } catch (error) {
    if (error instanceof SafetensorsError) throw new WeightsFileError(`not a valid safetensors file: ${describeForeignFile(bytes) ?? plainly(error.message)}`);
    throw error;
  }
  const metadata = parseWeightsMetadata(file.metadata);
  const { spec, info } = modelOf(metadata.model ?? inferredModel(file.tensors));
  const expected = info.state;
  const names = new Set(expected.map((t) => t.name));
  for (const name of file.tensors.keys()) {
    if (!names.has(name) && !name.startsWith(OPTIM_PREFIX)) {
      throw new WeightsFileError(`unknown tensor "${name.slice(0, 80)}": the file's model holds ${listNames(expected)} (and optional optim.* state)`);
    }
  }
  const tensors = new Map<string, { data: Float32Array; shape: number[] }>();
  for (const { name, shape, dtype } of expected) {
    const record = file.tensors.get(name);
    if (!record) throw new WeightsFileError(`missing tensor "${name}"`);
    if (record.dtype !== (dtype ?? 'F32') && !(dtype === 'I64' && record.dtype === 'F32')) {
      throw new WeightsFileError(`tensor "${name}" is ${record.dtype}; Digitrain ${dtype === 'I64' ? 'counters must be I64' : 'weights must be F32'}`);
    }
    if (!sameShape(record.shape, shape)) {
      throw new WeightsFileError(`tensor "${name}" has shape ${formatShape(record.shape)} but the model needs ${formatShape(shape)}`);
    }
    const data = record.data instanceof BigInt64Array ? countsAsFloat(name, record.data) : (record.data as Float32Array);
    const bad = firstNonFinite(data);
    if (bad >= 0) throw new WeightsFileError(`tensor "${name}" contains ${data[bad]} at index ${bad}; weights must be finite`);
    tensors.set(name, { data, shape: record.shape });
  }
  const optimizer = optimizerFromTensors(file.tensors, file.metadata, info.params);
  return { spec, info, tensors, optimizer, metadata };
}

function modelOf(spec: ModelSpec): { spec: ModelSpec; info: ModelInfo } {
  try {
    return inspectModelSpec(spec);
  } catch (error) {
    if (error instanceof ModelCostError) throw new WeightsFileError(`the file's model is well formed but too large for Digitrain's memory and time budgets: ${error.message}`);
    if (error instanceof ModelSpecError) throw new WeightsFileError(`the file's model cannot be built: ${error.message}`);
    throw error;
  }
}

/**
 * A file without a model description (PyTorch's `save_file(model.state_dict())`): the seed's
 * MLP is recognised by its names, its hidden width read from `l1.weight`. Any other model
 * needs the description Digitrain writes (metadata "model").
 */
function inferredModel(tensors: ReadonlyMap<string, TensorRecord>): ModelSpec {
  const l1 = tensors.get('l1.weight');
  if (!l1) {
    const first = [...tensors.keys()].find((name) => !name.startsWith(OPTIM_PREFIX));
    throw new WeightsFileError(
      `the file does not say which model it holds (no "model" metadata), and it is not the seed's MLP (l1, l2)${first ? `: it starts with "${first.slice(0, 80)}"` : ''}; save it with Digitrain, or add the model's spec`,
    );
  }
  if (l1.shape.length !== 2 || l1.shape[1] !== MNIST_PIXELS) {
    throw new WeightsFileError(`tensor "l1.weight" has shape ${formatShape(l1.shape)}; the seed's MLP has [hidden, ${MNIST_PIXELS}]`);
  }
  return mlpSpec(l1.shape[0]);
}

/** An int64 counter (batch norm's num_batches_tracked) as the engine's float32, refused when float32 cannot hold it. */
function countsAsFloat(name: string, data: BigInt64Array): Float32Array {
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    if (data[i] < 0n || data[i] > 1n << 24n) throw new WeightsFileError(`tensor "${name}" holds ${data[i]}, outside 0..${1 << 24}`);
    out[i] = Number(data[i]);
  }
  return out;
}

function listNames(tensors: readonly { name: string }[]): string {
  const names = tensors.map((t) => t.name);
  return names.length <= 8 ? names.join(', ') : `${names.slice(0, 8).join(', ')} … (${names.length} tensors)`;
}
