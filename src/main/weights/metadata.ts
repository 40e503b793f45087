// The `__metadata__` of a Digitrain weights file: written from the training state, read
// back (untrusted) into checked values. Shared by the app and the CLI.

import type { RngState } from '../../engine/data/rng';
import type { TrainConfig } from '../../shared/contract';
import { ContractError } from '../../shared/contractError';
import { isRecord } from '../../shared/model/settings';
import type { ModelSpec } from '../../shared/model/spec';
import { ModelSpecError, validateModelSpec } from '../../shared/model/validateSpec';
import { CONFIG_KEYS, validateConfigPatch } from '../../shared/validate';
import { META, WEIGHTS_FORMAT, WEIGHTS_FORMAT_VERSION, WeightsFileError } from './format';
import { legacyModel, legacySettings } from './legacy';

export interface WeightsInfo {
  config: TrainConfig;
  step: number;
  /** The run's random stream (kept runs): the same next batches after a reopen. */
  random?: RngState | null;
  /** Test accuracy of these weights in [0, 1], or null when not evaluated. */
  testAccuracy: number | null;
  date?: Date;
}

/** The settings stored beside the model (the model has its own key). */
export type StoredSettings = Omit<TrainConfig, 'model'>;

export function buildWeightsMetadata(info: WeightsInfo): Record<string, string> {
  const { model, ...settings } = info.config;
  const metadata: Record<string, string> = {
    [META.format]: WEIGHTS_FORMAT,
    [META.formatVersion]: String(WEIGHTS_FORMAT_VERSION),
    [META.model]: JSON.stringify(model),
    [META.hyperparameters]: JSON.stringify(settings satisfies StoredSettings),
    [META.step]: String(info.step),
    [META.date]: (info.date ?? new Date()).toISOString(),
  };
  if (info.testAccuracy !== null) metadata[META.testAccuracy] = String(info.testAccuracy);
  if (info.random) metadata[META.random] = JSON.stringify(info.random);
  return metadata;
}

/** What the metadata says, each field checked; absent fields are null (files from PyTorch carry none of ours). */
export interface ParsedMetadata {
  isDigitrain: boolean;
  /** The model the file describes (version 1's architecture converted), or null when it names none. */
  model: ModelSpec | null;
  settings: Partial<StoredSettings>;
  step: number | null;
  testAccuracy: number | null;
  date: string | null;
  /** The random stream's position, or null when the file has none. */
  random: RngState | null;
}

export function parseWeightsMetadata(metadata: Record<string, string>): ParsedMetadata {
  const has = (key: string) => Object.hasOwn(metadata, key);
  const isDigitrain = metadata[META.format] === WEIGHTS_FORMAT;
  let version = WEIGHTS_FORMAT_VERSION;
  if (isDigitrain) {
    version = Number(metadata[META.formatVersion]);
    if (!Number.isInteger(version) || version < 1) {
      const given = metadata[META.formatVersion];
      throw new WeightsFileError(given === undefined ? 'metadata formatVersion is missing' : `metadata formatVersion ${JSON.stringify(given.slice(0, 40))} is not a version number`);
    }
    if (version > WEIGHTS_FORMAT_VERSION) {
      throw new WeightsFileError(`file format version ${version} is newer than this Digitrain understands (${WEIGHTS_FORMAT_VERSION}); update Digitrain`);
    }
  }
  let model: ModelSpec | null = null;
  if (has(META.model)) model = parseModel(metadata[META.model]);
  else if (has(META.legacyArchitecture)) model = legacyModel(parseJson(META.legacyArchitecture, metadata[META.legacyArchitecture]), metadata[META.legacyArchitecture]);
  return {
    isDigitrain,
    model,
    settings: has(META.hyperparameters) ? parseSettings(metadata[META.hyperparameters], version) : {},
    step: has(META.step) ? parseCount('step', metadata[META.step]) : null,
    testAccuracy: has(META.testAccuracy) ? parseAccuracy(metadata[META.testAccuracy]) : null,
    date: has(META.date) ? metadata[META.date] : null,
    random: has(META.random) ? parseRandom(metadata[META.random]) : null,
  };
}

function parseRandom(text: string): RngState {
  const value = parseJson(META.random, text);
  const words = isRecord(value) ? value.words : undefined;
  const spare = isRecord(value) ? value.spareNormal : undefined;
  const wordsOk = Array.isArray(words) && words.length === 4 && words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff) && words.some((w) => w !== 0);
  if (!wordsOk || !(spare === null || (typeof spare === 'number' && Number.isFinite(spare)))) {
    throw new WeightsFileError('metadata random must be {"words": four 32-bit unsigned integers, not all 0, "spareNormal": a number or null}');
  }
  return { words: words as number[], spareNormal: spare as number | null };
}

export function parseJson(key: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new WeightsFileError(`metadata ${key} is not valid JSON`);
  }
}

function parseModel(text: string): ModelSpec {
  try {
    return validateModelSpec(parseJson(META.model, text));
  } catch (error) {
    if (error instanceof ModelSpecError) throw new WeightsFileError(`the file's model cannot be built: ${error.message}`);
    throw error;
  }
}

function parseSettings(text: string, version: number): Partial<StoredSettings> {
  const value = parseJson(META.hyperparameters, text);
  if (!isRecord(value)) throw new WeightsFileError('metadata hyperparameters must be a JSON object');
  const source = version === 1 ? legacySettings(value) : value;
  // Keys a newer Digitrain may add are ignored; the known ones must be valid settings.
  const patch: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) {
    if (key !== 'model' && Object.hasOwn(source, key)) patch[key] = source[key];
  }
  try {
    return validateConfigPatch(patch);
  } catch (error) {
    if (error instanceof ContractError) throw new WeightsFileError(`metadata hyperparameters: ${error.message}`);
    throw error;
  }
}

export function parseCount(key: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(n) || n < 0) {
    throw new WeightsFileError(`metadata ${key} ${JSON.stringify(text.slice(0, 40))} is not a non-negative integer`);
  }
  return n;
}

function parseAccuracy(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !(n >= 0 && n <= 1)) {
    throw new WeightsFileError(`metadata testAccuracy ${JSON.stringify(text.slice(0, 40))} is not a number in [0, 1]`);
  }
  return n;
}
