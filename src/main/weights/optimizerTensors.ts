// The optimizer state inside a weights file: each buffer (`0.exp_avg`, …) becomes the F32
// tensor `optim.0.exp_avg` with its parameter's shape; kind, step and hyperparameters go to
// the metadata. Reading checks every piece against the model's parameters and the
// optimizer registry's state keys, so a resumed run never starts from a half-valid optimizer.

import type { TensorRecord } from '../../engine/io/safetensors';
import type { OptimizerState } from '../../engine/optim';
import type { TensorInfo } from '../../shared/model/layerKind';
import { isRecord } from '../../shared/model/settings';
import { formatShape, sameShape, sizeOf } from '../../shared/model/shape';
import { Tensor } from '../../engine';
import { defaultOptimizer, isOptimizerName, keptStateOf, OPTIMIZER_NAMES, OPTIMIZERS, type OptimizerName } from '../../shared/optimizers';
import { createOptimizer } from '../training/optimizers';
import { META, OPTIM_PREFIX, WeightsFileError } from './format';
import { parseCount, parseJson } from './metadata';
import { objectFromEntries } from '../../shared/ownKeys';
import { assertFiniteForSaving, firstNonFinite } from './finite';

const BUFFER_NAME = /^(\d+)\.([a-z_]+)$/;

/** An optimizer state whose kind is in the registry. */
export type RegisteredOptimizerState = OptimizerState & { kind: OptimizerName };

/** `params`: the model's parameters in `parameters()` order (describeModel(spec).params). */
export function optimizerToTensors(state: OptimizerState, params: readonly TensorInfo[]): { tensors: Map<string, TensorRecord>; metadata: Record<string, string> } {
  const tensors = new Map<string, TensorRecord>();
  for (const [name, data] of Object.entries(state.buffers)) {
    const match = BUFFER_NAME.exec(name);
    const param = match ? params[Number(match[1])] : undefined;
    if (!match || !param) throw new Error(`optimizer buffer "${name}" does not name a parameter index 0..${params.length - 1}`);
    if (data.length !== sizeOf(param.shape)) {
      throw new Error(`optimizer buffer "${name}" has ${data.length} values but ${param.name} has shape ${formatShape(param.shape)}`);
    }
    assertFiniteForSaving(`the optimizer's ${name}`, data);
    tensors.set(OPTIM_PREFIX + name, { dtype: 'F32', shape: [...param.shape], data });
  }
  const metadata = {
    [META.optimKind]: state.kind,
    [META.optimStep]: String(state.step),
    [META.optimHyper]: JSON.stringify(state.hyper),
  };
  return { tensors, metadata };
}

/** Rebuilds the optimizer state from a file's `optim.*` tensors and metadata, or null if it has none. */
export function optimizerFromTensors(tensors: ReadonlyMap<string, TensorRecord>, metadata: Record<string, string>, params: readonly TensorInfo[]): RegisteredOptimizerState | null {
  const names = [...tensors.keys()].filter((name) => name.startsWith(OPTIM_PREFIX));
  const hasMetadata = Object.hasOwn(metadata, META.optimKind);
  if (names.length === 0 && !hasMetadata) return null;
  if (!hasMetadata) throw new WeightsFileError(`the file has optimizer tensors (${names[0]}) but no "${META.optimKind}" metadata`);

  const kind = metadata[META.optimKind];
  if (!isOptimizerName(kind)) {
    throw new WeightsFileError(`metadata ${META.optimKind} ${JSON.stringify(kind.slice(0, 40))} is not one of ${OPTIMIZER_NAMES.join(', ')}`);
  }
  if (!Object.hasOwn(metadata, META.optimStep)) throw new WeightsFileError(`the optimizer state has no "${META.optimStep}" metadata`);
  const step = parseCount(META.optimStep, metadata[META.optimStep]);
  const hyper = parseHyper(Object.hasOwn(metadata, META.optimHyper) ? metadata[META.optimHyper] : undefined);
  const known = engineHyperNames(kind);
  for (const key of Object.keys(hyper)) {
    if (!known.includes(key)) throw new WeightsFileError(`metadata ${META.optimHyper}: unknown ${kind} hyperparameter ${JSON.stringify(key.slice(0, 40))} (known: ${known.join(', ')})`);
  }
  const stateKeys: readonly string[] = OPTIMIZERS[kind].stateKeys;

  const buffers: Record<string, Float32Array> = {};
  const perKey = new Map<string, number>();
  for (const name of names) {
    const bufferName = name.slice(OPTIM_PREFIX.length);
    const match = BUFFER_NAME.exec(bufferName);
    const param = match ? params[Number(match[1])] : undefined;
    if (!match || !param || !stateKeys.includes(match[2])) {
      throw new WeightsFileError(`unknown optimizer tensor "${name}" (${kind} state is optim.<0..${params.length - 1}>.${stateKeys.join('|')})`);
    }
    const record = tensors.get(name) as TensorRecord;
    if (record.dtype !== 'F32') throw new WeightsFileError(`tensor "${name}" is ${record.dtype}; optimizer state must be F32`);
    if (!sameShape(record.shape, param.shape)) {
      throw new WeightsFileError(`tensor "${name}" has shape ${formatShape(record.shape)} but ${param.name} has ${formatShape(param.shape)}`);
    }
    const data = record.data as Float32Array;
    const bad = firstNonFinite(data);
    if (bad >= 0) throw new WeightsFileError(`tensor "${name}" contains ${data[bad]} at index ${bad}`);
    buffers[bufferName] = data;
    perKey.set(match[2], (perKey.get(match[2]) ?? 0) + 1);
  }
  for (const [key, count] of perKey) {
    if (count !== params.length) throw new WeightsFileError(`the optimizer state has ${key} for ${count} of ${params.length} parameters`);
  }
  // Only keys the registry's rule keeps for these hyperparameters (the engine's defaults for any not saved); after a
  // step, at least those kept whatever the switches (momentum turned on mid-run has its buffer from the next step on).
  const kept = keptStateOf(kind, { ...engineHyper(kind), ...hyper });
  const always = keptStateOf(kind, {});
  const missing = kept.filter((key) => always.includes(key) && !perKey.has(key));
  if (step > 0 && missing.length > 0) {
    throw new WeightsFileError(`the ${OPTIMIZERS[kind].label} state is at step ${step} but lacks its ${missing.join(' and ')} tensors`);
  }
  const extra = [...perKey.keys()].filter((key) => !kept.includes(key));
  if (extra.length > 0) throw new WeightsFileError(`the ${OPTIMIZERS[kind].label} state has ${extra.join(' and ')} tensors, which these hyperparameters do not keep`);
  return { kind, hyper, step, buffers };
}

/** The hyper-parameters the engine's optimizer of this kind keeps in its state dict, at their defaults (it is the authority on them). */
function engineHyper(kind: OptimizerName): Record<string, number> {
  return createOptimizer([Tensor.zeros([1], { requiresGrad: true })], defaultOptimizer(kind)).hyperparameters();
}

function engineHyperNames(kind: OptimizerName): string[] {
  return Object.keys(engineHyper(kind));
}

function parseHyper(text: string | undefined): Record<string, number> {
  if (text === undefined) throw new WeightsFileError(`the optimizer state has no "${META.optimHyper}" metadata`);
  const value = parseJson(META.optimHyper, text);
  if (!isRecord(value)) throw new WeightsFileError(`metadata ${META.optimHyper} must be a JSON object of numbers`);
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'number' || !Number.isFinite(item)) throw new WeightsFileError(`metadata ${META.optimHyper}: ${key.slice(0, 40)} must be a finite number`);
  }
  return objectFromEntries(Object.entries(value as Record<string, number>)); // a `__proto__` key stays a key (and is refused)
}
