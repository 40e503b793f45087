// The optimizer state inside a weights file: each buffer (`0.exp_avg`, …) becomes the
// F32 tensor `optim.0.exp_avg` with its parameter's shape; kind, step and the
// hyperparameters go to the metadata. Reading checks every piece against the model's
// shapes, so a resumed run never starts from a half-valid optimizer.

import type { TensorRecord } from '../../engine/io/safetensors';
import type { OptimizerState } from '../../engine/optim';
import { META, OPTIM_PREFIX, PARAM_NAMES, sameShape, shapeText, WeightsFileError, type ParamName } from './format';
import { parseCount } from './metadata';
import { checkOptimizerHyper } from './optimizerHyper';
import { assertFiniteForSaving, firstNonFinite } from './finite';

export { firstNonFinite };
import { objectFromEntries } from '../../shared/ownKeys';

/** The state keys PyTorch uses for each optimizer; anything else in a file is an error. */
const BUFFER_KEYS: Record<OptimizerState['kind'], readonly string[]> = {
  adam: ['exp_avg', 'exp_avg_sq'],
  sgd: ['momentum_buffer'],
};

const BUFFER_NAME = /^(\d+)\.([a-z_]+)$/;

export function optimizerToTensors(
  state: OptimizerState,
  shapes: Record<ParamName, readonly number[]>,
): { tensors: Map<string, TensorRecord>; metadata: Record<string, string> } {
  const tensors = new Map<string, TensorRecord>();
  for (const [name, data] of Object.entries(state.buffers)) {
    const match = BUFFER_NAME.exec(name);
    const param = match ? PARAM_NAMES[Number(match[1])] : undefined;
    if (!match || !param) throw new Error(`optimizer buffer "${name}" does not name a parameter index 0..${PARAM_NAMES.length - 1}`);
    const shape = [...shapes[param]];
    if (data.length !== shape.reduce((a, b) => a * b, 1)) {
      throw new Error(`optimizer buffer "${name}" has ${data.length} values but ${param} has shape ${shapeText(shape)}`);
    }
    assertFiniteForSaving(`the optimizer's ${name}`, data);
    tensors.set(OPTIM_PREFIX + name, { dtype: 'F32', shape, data });
  }
  const metadata = {
    [META.optimKind]: state.kind,
    [META.optimStep]: String(state.step),
    [META.optimHyper]: JSON.stringify(state.hyper),
  };
  return { tensors, metadata };
}

/** Rebuilds the optimizer state from a file's `optim.*` tensors and metadata, or null if it has none. */
export function optimizerFromTensors(
  tensors: ReadonlyMap<string, TensorRecord>,
  metadata: Record<string, string>,
  shapes: Record<ParamName, readonly number[]>,
): OptimizerState | null {
  const names = [...tensors.keys()].filter((name) => name.startsWith(OPTIM_PREFIX));
  const hasMetadata = META.optimKind in metadata;
  if (names.length === 0 && !hasMetadata) return null;
  if (!hasMetadata) throw new WeightsFileError(`the file has optimizer tensors (${names[0]}) but no "${META.optimKind}" metadata`);

  const kind = metadata[META.optimKind];
  if (kind !== 'adam' && kind !== 'sgd') {
    throw new WeightsFileError(`metadata ${META.optimKind} ${JSON.stringify(kind.slice(0, 40))} is not "adam" or "sgd"`);
  }
  if (!(META.optimStep in metadata)) throw new WeightsFileError(`the optimizer state has no "${META.optimStep}" metadata`);
  const step = parseCount(META.optimStep, metadata[META.optimStep]);
  const hyper = parseHyper(metadata[META.optimHyper]);
  checkOptimizerHyper(kind, hyper);

  const buffers: Record<string, Float32Array> = {};
  const perKey = new Map<string, number>();
  for (const name of names) {
    const bufferName = name.slice(OPTIM_PREFIX.length);
    const match = BUFFER_NAME.exec(bufferName);
    const param = match ? PARAM_NAMES[Number(match[1])] : undefined;
    if (!match || !param || !BUFFER_KEYS[kind].includes(match[2])) {
      throw new WeightsFileError(
        `unknown optimizer tensor "${name}" (${kind} state is optim.<0..${PARAM_NAMES.length - 1}>.${BUFFER_KEYS[kind].join('|')})`,
      );
    }
    const record = tensors.get(name) as TensorRecord;
    if (record.dtype !== 'F32') throw new WeightsFileError(`tensor "${name}" is ${record.dtype}; optimizer state must be F32`);
    if (!sameShape(record.shape, shapes[param])) {
      throw new WeightsFileError(`tensor "${name}" has shape ${shapeText(record.shape)} but ${param} has ${shapeText(shapes[param])}`);
    }
    const data = record.data as Float32Array;
    const bad = firstNonFinite(data);
    if (bad >= 0) throw new WeightsFileError(`tensor "${name}" contains ${data[bad]} at index ${bad}`);
    buffers[bufferName] = data;
    perKey.set(match[2], (perKey.get(match[2]) ?? 0) + 1);
  }
  for (const [key, count] of perKey) {
    if (count !== PARAM_NAMES.length) {
      throw new WeightsFileError(`the optimizer state has ${key} for ${count} of ${PARAM_NAMES.length} parameters`);
    }
  }
  if (kind === 'adam' && step > 0 && perKey.size !== BUFFER_KEYS.adam.length) {
    throw new WeightsFileError(`the Adam state is at step ${step} but lacks its ${BUFFER_KEYS.adam.join(' and ')} tensors`);
  }
  return { kind, hyper, step, buffers };
}

function parseHyper(text: string | undefined): Record<string, number> {
  if (text === undefined) throw new WeightsFileError(`the optimizer state has no "${META.optimHyper}" metadata`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new WeightsFileError(`metadata ${META.optimHyper} is not valid JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new WeightsFileError(`metadata ${META.optimHyper} must be a JSON object of numbers`);
  }
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'number' || !Number.isFinite(item)) {
      throw new WeightsFileError(`metadata ${META.optimHyper}: ${key.slice(0, 40)} must be a finite number`);
    }
  }
  return objectFromEntries(Object.entries(value as Record<string, number>)); // a `__proto__` key stays a key (and is refused)
}
