// Validation of everything that enters the Node side from the renderer.
//
// The renderer is not trusted: a payload may be any JSON (WebSocket) or any cloneable
// value (IPC). Each validator either returns a well-typed value or throws a
// ContractError whose message says what is wrong in the user's terms.
import { CONTRACT_VERSION, MAX_STEPS_PER_REQUEST, type ExportFormat, type SaveOptions, type TrainConfig } from './contract';
import { validateTestPageQuery, validateUnitQuery } from './inspect';
import { validateStepGraphQuery } from './stepGraph';
import { validateDigitId, validateNewDigits } from './myDigits';
import { validateRunExportFormat, validateRunId, validateRunIds, validateRunName } from './runs';
import { ContractError } from './contractError';
import { MNIST_PIXELS } from './mnist';
import { ModelSpecError, validateModelSpec } from './model/validateSpec';
import { describeValue as describe, isRecord, settingProblem } from './model/settings';
import { HYPERPARAMETERS, hyperNamesOf, hyperProblem, isOptimizerName, OPTIMIZER_NAMES, OPTIMIZERS, type HyperName, type OptimizerConfig } from './optimizers';
import { isScheduleName, SCHEDULE_NAMES, scheduleHyperNames, SCHEDULES, type ScheduleConfig, type ScheduleEntry } from './schedules';
import { ownValue } from './ownKeys';
import { REQUEST_NAMES, type RequestArgs, type RequestName } from './rpc';
import { TRAIN_SETTINGS } from './trainSettings';
import { validateWeightsFileBytes } from './weightsFiles';

export { ContractError };

function setting(name: keyof typeof TRAIN_SETTINGS, value: unknown): number {
  const problem = settingProblem(TRAIN_SETTINGS[name], value);
  if (problem) throw new ContractError(`${name} ${problem}`);
  return value as number;
}

/**
 * An optimizer `{ type, hyper, schedule }`: a registered type, each of its hyperparameters in
 * range (missing ones take its defaults), and a learning-rate schedule (constant when absent).
 */
export function validateOptimizerConfig(value: unknown): OptimizerConfig {
  if (!isRecord(value)) throw new ContractError(`optimizer must be an object { type, hyper, schedule } (got ${describe(value)})`);
  const type = ownValue(value, 'type');
  if (!isOptimizerName(type)) throw new ContractError(`optimizer type must be one of ${OPTIMIZER_NAMES.join(', ')} (got ${describe(type)})`);
  for (const key of Object.keys(value)) {
    if (key !== 'type' && key !== 'hyper' && key !== 'schedule') throw new ContractError(`optimizer has only "type", "hyper" and "schedule" (got "${key.slice(0, 40)}")`);
  }
  const hyper = validateHyper(type, hyperNamesOf(type), OPTIMIZERS[type].defaults, ownValue(value, 'hyper'), 'optimizer');
  const problem = hyperProblem(type, hyper);
  if (problem) throw new ContractError(`optimizer: ${problem}`);
  return { type, hyper, schedule: validateSchedule(ownValue(value, 'schedule')) };
}

/** A learning-rate schedule `{ type, hyper }` (shared/schedules.ts); absent is constant. */
export function validateSchedule(value: unknown): ScheduleConfig {
  if (value === undefined) return { type: 'constant', hyper: {} };
  if (!isRecord(value)) throw new ContractError(`schedule must be an object { type, hyper } (got ${describe(value)})`);
  for (const key of Object.keys(value)) {
    if (key !== 'type' && key !== 'hyper') throw new ContractError(`schedule has only "type" and "hyper" (got "${key.slice(0, 40)}")`);
  }
  const type = ownValue(value, 'type');
  if (!isScheduleName(type)) throw new ContractError(`schedule type must be one of ${SCHEDULE_NAMES.join(', ')} (got ${describe(type)})`);
  const entry: ScheduleEntry = SCHEDULES[type];
  const hyper = validateHyper(`the ${type} schedule`, scheduleHyperNames(type), entry.defaults, ownValue(value, 'hyper'), 'schedule');
  const problem = entry.check?.(hyper);
  if (problem) throw new ContractError(`schedule: ${problem}`);
  return { type, hyper };
}

/** Each of `names` from `raw` when given (in HYPERPARAMETERS' range), else its default; any other key is refused. */
function validateHyper(owner: string, names: readonly HyperName[], defaults: Partial<Record<HyperName, number>>, raw: unknown, what: string): Record<string, number> {
  const given = raw ?? {};
  if (!isRecord(given)) throw new ContractError(`${what} hyper must be an object of numbers (got ${describe(given)})`);
  for (const key of Object.keys(given)) {
    if (!(names as string[]).includes(key)) {
      throw new ContractError(`${owner} has no hyperparameter "${key.slice(0, 40)}" (it takes ${names.length > 0 ? names.join(', ') : 'none'})`);
    }
  }
  const hyper: Record<string, number> = {};
  for (const name of names) {
    const v = Object.hasOwn(given, name) ? given[name] : undefined;
    if (v === undefined) {
      hyper[name] = defaults[name] as number;
      continue;
    }
    const problem = settingProblem(HYPERPARAMETERS[name], v);
    if (problem) throw new ContractError(`${name} ${problem}`);
    hyper[name] = v as number;
  }
  return hyper;
}

type ConfigCheckers = { [K in keyof TrainConfig]: (value: unknown) => TrainConfig[K] };

const CONFIG_CHECKERS: ConfigCheckers = {
  model: (v) => {
    try {
      return validateModelSpec(v);
    } catch (error) {
      if (error instanceof ModelSpecError) throw new ContractError(`model: ${error.message}`);
      throw error;
    }
  },
  optimizer: validateOptimizerConfig,
  batchSize: (v) => setting('batchSize', v),
  epochs: (v) => (v === null ? null : setting('epochs', v)),
  seed: (v) => setting('seed', v),
  evalEvery: (v) => setting('evalEvery', v),
  labelSmoothing: (v) => setting('labelSmoothing', v),
  earlyStopping: (v) => (v === null ? null : setting('earlyStopping', v)),
  mixMyDigits: (v) => (v === null ? null : setting('mixMyDigits', v)),
};

/** Every setting of a TrainConfig, from the table that checks them. */
export const CONFIG_KEYS = Object.keys(CONFIG_CHECKERS) as (keyof TrainConfig)[];

/** A partial config as sent with train/reset: known keys only (own properties: `toString` is not a setting), each value valid. */
export function validateConfigPatch(value: unknown): Partial<TrainConfig> {
  if (value === undefined) return {};
  if (!isRecord(value)) throw new ContractError(`config must be an object (got ${describe(value)})`);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(CONFIG_CHECKERS, key)) {
      throw new ContractError(`unknown setting '${key.slice(0, 40)}' (known: ${CONFIG_KEYS.join(', ')})`);
    }
    const raw = value[key];
    if (raw === undefined) continue;
    out[key] = CONFIG_CHECKERS[key as keyof TrainConfig](raw);
  }
  return out as Partial<TrainConfig>;
}

/** 784 numbers in [0, 1], as a Float32Array (the form the model reads). */
export function validatePixels(value: unknown): Float32Array {
  const isList = Array.isArray(value) || value instanceof Float32Array || value instanceof Float64Array;
  if (!isList || value.length !== MNIST_PIXELS) {
    const got = isList ? `${value.length} values` : describe(value);
    throw new ContractError(`pixels must be ${MNIST_PIXELS} numbers in [0, 1] (got ${got})`);
  }
  const pixels = new Float32Array(MNIST_PIXELS);
  for (let i = 0; i < MNIST_PIXELS; i++) {
    const p: unknown = value[i];
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
      throw new ContractError(`pixels must be ${MNIST_PIXELS} numbers in [0, 1] (pixel ${i} is ${describe(p)})`);
    }
    pixels[i] = p;
  }
  return pixels;
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

/** How many steps a step() request takes: a whole number from 1 to MAX_STEPS_PER_REQUEST. */
export function validateStepCount(value: unknown): number {
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > MAX_STEPS_PER_REQUEST) {
    throw new ContractError(`step count must be a whole number from 1 to ${MAX_STEPS_PER_REQUEST} (got ${describe(value)})`);
  }
  return value as number;
}

const ARG_VALIDATORS: ArgValidators = {
  getState: noArgs,
  stop: noArgs,
  restoreBest: noArgs,
  evaluate: noArgs,
  step: (args) => [validateConfigPatch(args[0]), validateStepCount(args[1])],
  listRuns: noArgs,
  getRuns: (args) => [validateRunIds(args[0])],
  renameRun: (args) => [validateRunId(args[0]), validateRunName(args[1])],
  deleteRun: (args) => [validateRunId(args[0])],
  openRun: (args) => [validateRunId(args[0])],
  exportRun: (args) => [validateRunId(args[0]), validateRunExportFormat(args[1])],
  listMyDigits: noArgs,
  addMyDigits: (args) => [validateNewDigits(args[0])],
  deleteMyDigit: (args) => [validateDigitId(args[0])],
  evaluateMyDigits: noArgs,
  exportMyDigits: noArgs,
  testPage: (args) => [validateTestPageQuery(args[0])],
  inspectUnit: (args) => [validateUnitQuery(args[0])],
  loadWeights: (args) => (args[0] === undefined ? [] : [validateWeightsFileArg(args[0])]),
  train: (args) => [validateConfigPatch(args[0])],
  applySettings: (args) => [validateConfigPatch(args[0])],
  reset: (args) => [validateConfigPatch(args[0])],
  classify: (args) => [validatePixels(args[0])],
  saveWeights: (args) => [validateSaveOptions(args[0])],
  exportWeights: (args) => [validateExportFormat(args[0])],
  explain: (args) => [validatePixels(args[0])],
  getHealth: noArgs,
  stepGraph: (args) => [validateStepGraphQuery(args[0])],
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
    throw new ContractError(`contract version mismatch: the Node side speaks version ${CONTRACT_VERSION}, the message says ${describe(value)} (reload the page)`);
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
