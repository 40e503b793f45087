// Validation of everything that enters the Node side from the renderer.
//
// The renderer is not trusted: a payload may be any JSON (WebSocket) or any cloneable
// value (IPC). Each validator either returns a well-typed value or throws a
// ContractError whose message says what is wrong in the user's terms.
import { CONTRACT_VERSION, type ExportFormat, type OptimizerName, type SaveOptions, type TrainConfig } from './contract';
import { ContractError } from './contractError';
import { REQUEST_NAMES, type RequestArgs, type RequestName } from './rpc';
import { validateWeightsFileBytes } from './weightsFiles';
import { MNIST_PIXELS } from './mnist';
import { inRange, rangeText, SETTING_RANGES, type RangedSetting } from './settingRanges';
import { ownValue } from './ownKeys';

export { ContractError };

export const MAX_HIDDEN = SETTING_RANGES.hidden.max;
export const MAX_BATCH_SIZE = SETTING_RANGES.batchSize.max;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** A setting within its range (shared/settingRanges.ts, the same everywhere). */
function ranged(name: RangedSetting, value: unknown, label: string = name): number {
  const range = SETTING_RANGES[name];
  if (!inRange(value, range)) throw new ContractError(`${label} must be ${rangeText(range)} (got ${describe(value)})`);
  return value;
}

type ConfigCheckers = { [K in keyof TrainConfig]: (value: unknown) => TrainConfig[K] };

const CONFIG_CHECKERS: ConfigCheckers = {
  hidden: (v) => ranged('hidden', v),
  lr: (v) => ranged('lr', v),
  batchSize: (v) => ranged('batchSize', v),
  optimizer: (v) => {
    if (v !== 'adam' && v !== 'sgd') throw new ContractError(`optimizer must be 'adam' or 'sgd' (got ${describe(v)})`);
    return v satisfies OptimizerName;
  },
  momentum: (v) => ranged('momentum', v),
  epochs: (v) => (v === null ? null : ranged('epochs', v, 'epochs (or null to train until stopped)')),
  seed: (v) => ranged('seed', v),
  evalEvery: (v) => ranged('evalEvery', v),
};

const CONFIG_KEYS = Object.keys(CONFIG_CHECKERS) as (keyof TrainConfig)[];

/** A partial config as sent with train/reset: known keys only, each value valid. */
export function validateConfigPatch(value: unknown): Partial<TrainConfig> {
  if (value === undefined) return {};
  if (!isRecord(value)) throw new ContractError(`config must be an object (got ${describe(value)})`);
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(value)) {
    // Own keys only: `toString` or `constructor` is on every object's prototype, not a setting.
    if (!Object.hasOwn(CONFIG_CHECKERS, key)) {
      throw new ContractError(`unknown setting '${key}' (known: ${CONFIG_KEYS.join(', ')})`);
    }
    if (raw === undefined) continue;
    out[key] = CONFIG_CHECKERS[key as keyof TrainConfig](raw);
  }
  return out as Partial<TrainConfig>;
}

/** A complete config, every key present and valid. */
export function validateConfig(value: unknown): TrainConfig {
  const patch = validateConfigPatch(value);
  const missing = CONFIG_KEYS.filter((key) => !Object.hasOwn(patch, key));
  if (missing.length > 0) throw new ContractError(`config is missing ${missing.join(', ')}`);
  return patch as TrainConfig;
}

/** 784 numbers in [0, 1]. Returns a plain array even when given a typed array. */
export function validatePixels(value: unknown): number[] {
  const isList = Array.isArray(value) || value instanceof Float32Array || value instanceof Float64Array;
  if (!isList || value.length !== MNIST_PIXELS) {
    const got = isList ? `${value.length} values` : describe(value);
    throw new ContractError(`pixels must be ${MNIST_PIXELS} numbers in [0, 1] (got ${got})`);
  }
  const pixels = Array.from(value as ArrayLike<unknown>);
  for (let i = 0; i < pixels.length; i++) {
    const p = pixels[i];
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
      throw new ContractError(`pixels must be ${MNIST_PIXELS} numbers in [0, 1] (pixel ${i} is ${describe(p)})`);
    }
  }
  return pixels as number[];
}

export function validateSaveOptions(value: unknown): SaveOptions {
  if (value === undefined) return { includeOptimizer: false };
  const includeOptimizer = isRecord(value) ? ownValue(value, 'includeOptimizer') : undefined;
  if (typeof includeOptimizer !== 'boolean') throw new ContractError('save options must be { includeOptimizer: boolean }');
  return { includeOptimizer };
}

export function validateExportFormat(value: unknown): ExportFormat {
  if (value !== 'pytorch' && value !== 'onnx') {
    throw new ContractError(`export format must be 'pytorch' or 'onnx' (got ${describe(value)})`);
  }
  return value;
}

function validateWeightsFileArg(value: unknown) {
  if (!isRecord(value)) throw new ContractError('a weights file must be { name, bytes }');
  return validateWeightsFileBytes(ownValue(value, 'name'), ownValue(value, 'bytes'));
}

type ArgValidators = { [K in RequestName]: (args: unknown[]) => RequestArgs<K> };

function noArgs(): [] {
  return [];
}

const ARG_VALIDATORS: ArgValidators = {
  getState: noArgs,
  stop: noArgs,
  evaluate: noArgs,
  loadWeights: (args) => (args[0] === undefined ? [] : [validateWeightsFileArg(args[0])]),
  train: (args) => [validateConfigPatch(args[0])],
  reset: (args) => [validateConfigPatch(args[0])],
  classify: (args) => [validatePixels(args[0])],
  saveWeights: (args) => [validateSaveOptions(args[0])],
  exportWeights: (args) => [validateExportFormat(args[0])],
};

export function isRequestName(value: unknown): value is RequestName {
  return typeof value === 'string' && (REQUEST_NAMES as readonly string[]).includes(value);
}

export type ValidatedRequest = { [K in RequestName]: { method: K; args: RequestArgs<K> } }[RequestName];

/** Checks a request's name and arguments; the result is safe to hand to the training host. */
export function validateRequest(method: unknown, args: unknown): ValidatedRequest {
  if (method === undefined) throw new ContractError(`a request needs a method (known: ${REQUEST_NAMES.join(', ')})`);
  if (!isRequestName(method)) {
    throw new ContractError(`unknown request ${describe(method)} (known: ${REQUEST_NAMES.join(', ')})`);
  }
  if (!Array.isArray(args)) throw new ContractError(`${method}: arguments must be an array`);
  try {
    return { method, args: ARG_VALIDATORS[method](args) } as ValidatedRequest;
  } catch (error) {
    if (error instanceof ContractError) throw new ContractError(`${method}: ${error.message}`);
    throw error;
  }
}

/** The version every envelope must carry. */
export function validateVersion(value: unknown): void {
  if (value === undefined) throw new ContractError(`the message has no contract version "v" (the Node side speaks version ${CONTRACT_VERSION})`);
  if (value !== CONTRACT_VERSION) {
    throw new ContractError(
      `contract version mismatch: the Node side speaks version ${CONTRACT_VERSION}, the message says ${describe(value)} (reload the page)`,
    );
  }
}

/** A WebSocket request envelope `{ v, id, method, args }`; the id is returned separately so errors can still answer it. */
export function readRequestId(value: unknown): number | null {
  const id = isRecord(value) ? ownValue(value, 'id') : undefined;
  return typeof id === 'number' && Number.isSafeInteger(id) ? id : null;
}

export function validateRpcRequest(value: unknown): { id: number } & ValidatedRequest {
  if (!isRecord(value)) throw new ContractError(`a request must be an object (got ${describe(value)})`);
  validateVersion(ownValue(value, 'v'));
  const id = readRequestId(value);
  if (id === null) throw new ContractError('a request needs an integer id');
  return { id, ...validateRequest(ownValue(value, 'method'), ownValue(value, 'args') ?? []) };
}
