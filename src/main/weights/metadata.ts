// The `__metadata__` of a Digitrain weights file: written from the training state,
// read back (untrusted) into typed values. Shared by the app and the CLI.

import { DEFAULT_CONFIG, type TrainConfig } from '../../shared/contract';
import { validateConfigPatch } from '../../shared/validate';
import { META, mlpArchitecture, WEIGHTS_FORMAT, WEIGHTS_FORMAT_VERSION, WeightsFileError, type Architecture } from './format';

export interface WeightsInfo {
  config: TrainConfig;
  step: number;
  /** Test accuracy of these weights in [0, 1], or null when not evaluated. */
  testAccuracy: number | null;
  date?: Date;
}

export function buildWeightsMetadata(info: WeightsInfo): Record<string, string> {
  const metadata: Record<string, string> = {
    [META.format]: WEIGHTS_FORMAT,
    [META.formatVersion]: String(WEIGHTS_FORMAT_VERSION),
    [META.architecture]: JSON.stringify(mlpArchitecture(info.config.hidden)),
    [META.hyperparameters]: JSON.stringify(info.config),
    [META.step]: String(info.step),
    [META.date]: (info.date ?? new Date()).toISOString(),
  };
  if (info.testAccuracy !== null) metadata[META.testAccuracy] = String(info.testAccuracy);
  return metadata;
}

/** What the metadata says, each field checked; absent fields are null (files from PyTorch carry none of ours). */
export interface ParsedMetadata {
  isDigitrain: boolean;
  architecture: Architecture | null;
  hyperparameters: Partial<TrainConfig>;
  step: number | null;
  testAccuracy: number | null;
  date: string | null;
}

export function parseWeightsMetadata(metadata: Record<string, string>): ParsedMetadata {
  const isDigitrain = metadata[META.format] === WEIGHTS_FORMAT;
  if (isDigitrain) {
    const version = Number(metadata[META.formatVersion]);
    if (!Number.isInteger(version) || version < 1) {
      const given = metadata[META.formatVersion];
      throw new WeightsFileError(given === undefined ? 'metadata formatVersion is missing' : `metadata formatVersion ${JSON.stringify(given.slice(0, 40))} is not a version number`);
    }
    if (version > WEIGHTS_FORMAT_VERSION) {
      throw new WeightsFileError(
        `file format version ${version} is newer than this Digitrain understands (${WEIGHTS_FORMAT_VERSION}); update Digitrain`,
      );
    }
  }
  return {
    isDigitrain,
    architecture: META.architecture in metadata ? parseArchitecture(metadata[META.architecture]) : null,
    hyperparameters: META.hyperparameters in metadata ? parseHyperparameters(metadata[META.hyperparameters]) : {},
    step: META.step in metadata ? parseCount('step', metadata[META.step]) : null,
    testAccuracy: META.testAccuracy in metadata ? parseAccuracy(metadata[META.testAccuracy]) : null,
    date: metadata[META.date] ?? null,
  };
}

function parseJson(key: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new WeightsFileError(`metadata ${key} is not valid JSON`);
  }
}

function parseArchitecture(text: string): Architecture {
  const value = parseJson('architecture', text) as { type?: unknown; layers?: unknown };
  const layers = value?.layers;
  if (
    value === null ||
    typeof value !== 'object' ||
    value.type !== 'mlp' ||
    !Array.isArray(layers) ||
    layers.length !== 3 ||
    !layers.every((n) => Number.isInteger(n) && n > 0)
  ) {
    throw new WeightsFileError(`metadata architecture ${text.slice(0, 80)} is not {"type":"mlp","layers":[in, hidden, out]}`);
  }
  return { type: 'mlp', layers: [layers[0], layers[1], layers[2]] };
}

function parseHyperparameters(text: string): Partial<TrainConfig> {
  const value = parseJson('hyperparameters', text);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new WeightsFileError('metadata hyperparameters must be a JSON object');
  }
  // Keys a newer Digitrain may add are ignored; the known ones must be valid settings.
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(DEFAULT_CONFIG)) if (Object.hasOwn(value, key)) patch[key] = (value as Record<string, unknown>)[key];
  try {
    return validateConfigPatch(patch);
  } catch (error) {
    throw new WeightsFileError(`metadata hyperparameters: ${(error as Error).message}`);
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
