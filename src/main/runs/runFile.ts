// A run's record on disk (`<id>.json` in the runs folder) and the folder's index, written by
// us and read back as untrusted: a file may be damaged, truncated, edited by hand or written
// by a newer Digitrain. Every field is checked and bounded before a record is used; settings
// are checked by the contract's own validators (a newer file's unknown settings are ignored,
// an older file's missing ones take today's defaults).
import { defaultConfig, type EvaluationPoint, type TrainConfig } from '../../shared/contract';
import { checkJsonDepth } from '../../shared/jsonDepth';
import { MNIST_CLASSES } from '../../shared/mnist';
import { describeValue, isRecord } from '../../shared/model/settings';
import { ownValue } from '../../shared/ownKeys';
import { isRunId, RUN_LIMITS, runNameProblem, type RunRecord, type RunSummary, type SettingsChange } from '../../shared/runs';
import { CONFIG_KEYS, ContractError, validateConfigPatch } from '../../shared/validate';

export const RUN_FORMAT = 'digitrain-run';
/**
 * 2: a run keeps its settings timeline (`settings`) and the step of its best evaluation
 * (`bestStep`). A format-1 record reads as one stretch of its final settings, its best step
 * found among its evaluations; a format-1 index is read again from the records.
 */
export const RUN_FORMAT_VERSION = 2;
export const INDEX_FORMAT = 'digitrain-runs';
export const INDEX_FORMAT_VERSION = 2;

export class RunFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunFileError';
  }
}

/** What is stored of a run besides its weights: the record minus what the folder tells (size, weights present). */
export type StoredRun = Omit<RunRecord, 'bytes' | 'hasWeights'>;

/** The size and time of a record file when the index last read it: a file that changed since is read again. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
}

export interface IndexEntry {
  summary: Omit<RunSummary, 'bytes' | 'hasWeights'>;
  stamp: FileStamp;
}

export interface RunIndex {
  nextNumber: number;
  entries: IndexEntry[];
}

export function encodeRunRecord(run: StoredRun): string {
  return JSON.stringify({ format: RUN_FORMAT, formatVersion: RUN_FORMAT_VERSION, ...run });
}

export function encodeRunIndex(index: RunIndex): string {
  return JSON.stringify({ format: INDEX_FORMAT, formatVersion: INDEX_FORMAT_VERSION, nextNumber: index.nextNumber, runs: index.entries });
}

function parseJsonText(text: string, what: string): unknown {
  try {
    checkJsonDepth(text, what);
    return JSON.parse(text);
  } catch (error) {
    throw new RunFileError(error instanceof SyntaxError ? `${what} is not valid JSON` : (error as Error).message);
  }
}

function checkFormat(value: Record<string, unknown>, format: string, version: number, what: string): void {
  if (ownValue(value, 'format') !== format) throw new RunFileError(`${what} is not a Digitrain ${format === RUN_FORMAT ? 'run record' : 'runs index'}`);
  const given = ownValue(value, 'formatVersion');
  if (!Number.isInteger(given) || (given as number) < 1) throw new RunFileError(`${what} has no format version`);
  if ((given as number) > version) throw new RunFileError(`${what} was written by a newer Digitrain (format ${given as number}; this one reads ${version})`);
}

/** A run record from its file's text; `id` is the file's (a record that names another run is refused). */
export function parseRunRecord(text: string, id: string): StoredRun {
  const value = parseJsonText(text, 'the file');
  if (!isRecord(value)) throw new RunFileError('the file is not a JSON object');
  checkFormat(value, RUN_FORMAT, RUN_FORMAT_VERSION, 'the file');
  const summary = parseSummary(value, id);
  const read = new Reader(value);
  const evaluations = read.evaluations('evaluations');
  // Format 1 kept no best step: the first evaluation with the best accuracy is it.
  if (summary.bestStep === null && summary.bestTestAccuracy !== null) summary.bestStep = evaluations.find((e) => e.testAccuracy === summary.bestTestAccuracy)?.step ?? null;
  const history = read.record('history');
  const timeline = read.record('timeline');
  new Reader(history, 'history').sameLength(['step', 'loss', 'accuracy'], RUN_LIMITS.historyPoints);
  new Reader(timeline, 'timeline').sameLength(['step', 'epoch', 'seconds'], RUN_LIMITS.timelinePoints);
  return {
    ...summary,
    history: { step: numbers(history.step), loss: numbers(history.loss), accuracy: numbers(history.accuracy) },
    timeline: { step: numbers(timeline.step), epoch: numbers(timeline.epoch), seconds: numbers(timeline.seconds) },
    evaluations,
    confusion: read.confusion('confusion'),
  };
}

function numbers(value: unknown): number[] {
  return value as number[];
}

/** The runs index from its file's text: entries whose fields are wrong make the whole index invalid (it is rebuilt). */
export function parseRunIndex(text: string): RunIndex {
  const value = parseJsonText(text, 'the runs index');
  if (!isRecord(value)) throw new RunFileError('the runs index is not a JSON object');
  checkFormat(value, INDEX_FORMAT, INDEX_FORMAT_VERSION, 'the runs index');
  const read = new Reader(value, 'the runs index');
  const nextNumber = read.count('nextNumber');
  // A format-1 index lacks what format 2 lists (the settings timeline): every record is read again.
  if (ownValue(value, 'formatVersion') === 1) return { nextNumber, entries: [] };
  const runs = ownValue(value, 'runs');
  if (!Array.isArray(runs) || runs.length > RUN_LIMITS.runs * 2) throw new RunFileError('the runs index has no list of runs');
  const entries: IndexEntry[] = runs.map((entry, i) => {
    if (!isRecord(entry)) throw new RunFileError(`entry ${i + 1} of the runs index is not an object`);
    const summary = ownValue(entry, 'summary');
    const stamp = ownValue(entry, 'stamp');
    if (!isRecord(summary) || !isRecord(stamp)) throw new RunFileError(`entry ${i + 1} of the runs index is incomplete`);
    const id = ownValue(summary, 'id');
    if (!isRunId(id)) throw new RunFileError(`entry ${i + 1} of the runs index has no valid id`);
    const stampReader = new Reader(stamp, `entry ${i + 1}`);
    return { summary: parseSummary(summary, id), stamp: { size: stampReader.count('size'), mtimeMs: stampReader.nonNegative('mtimeMs') } };
  });
  return { nextNumber, entries };
}

function parseSummary(value: Record<string, unknown>, id: string): IndexEntry['summary'] {
  if (ownValue(value, 'id') !== id) throw new RunFileError(`it names run ${describeValue(ownValue(value, 'id'))}, not ${id}`);
  const read = new Reader(value);
  const name = ownValue(value, 'name');
  const nameProblem = runNameProblem(name);
  if (nameProblem) throw new RunFileError(`its name ${nameProblem}`);
  const source = ownValue(value, 'source');
  if (source !== 'app' && source !== 'cli') throw new RunFileError(`its source must be "app" or "cli" (got ${describeValue(source)})`);
  const config = storedConfig(ownValue(value, 'config'));
  const step = read.count('step');
  const steps = read.count('steps');
  if (steps > step) throw new RunFileError(`it took ${steps} steps but is at step ${step}`);
  const bestStep = ownValue(value, 'bestStep');
  return {
    id,
    name: (name as string).trim(),
    source,
    started: read.date('started'),
    updated: read.date('updated'),
    config,
    settings: storedSettings(ownValue(value, 'settings'), config, step - steps + 1),
    origin: read.optionalText('origin', 300),
    step,
    steps,
    epoch: read.nonNegative('epoch'),
    seconds: read.nonNegative('seconds'),
    bestTestAccuracy: read.optionalFraction('bestTestAccuracy'),
    bestStep: bestStep === undefined || bestStep === null ? null : read.count('bestStep'),
    finalTestAccuracy: read.optionalFraction('finalTestAccuracy'),
    finalTestLoss: read.optionalNonNegative('finalTestLoss'),
  };
}

/** A stored config: every known setting checked by the contract's validators; missing ones are today's defaults, unknown ones ignored. */
export function storedConfig(value: unknown): TrainConfig {
  if (!isRecord(value)) throw new RunFileError(`its settings are not an object (got ${describeValue(value)})`);
  const patch: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) if (Object.hasOwn(value, key)) patch[key] = value[key];
  try {
    return { ...defaultConfig(), ...validateConfigPatch(patch) };
  } catch (error) {
    if (error instanceof ContractError) throw new RunFileError(`its settings: ${error.message}`);
    throw error;
  }
}

/**
 * A stored settings timeline: each entry's step and settings checked, steps rising, at most
 * RUN_LIMITS.settingsChanges; absent (format 1), one entry of the final settings from `firstStep`.
 */
export function storedSettings(value: unknown, config: TrainConfig, firstStep: number): SettingsChange[] {
  if (value === undefined) return [{ step: firstStep, config }];
  if (!Array.isArray(value) || value.length === 0 || value.length > RUN_LIMITS.settingsChanges) {
    throw new RunFileError(`its settings timeline must be a list of 1 to ${RUN_LIMITS.settingsChanges} entries`);
  }
  let previous = -1;
  return value.map((entry, i) => {
    if (!isRecord(entry)) throw new RunFileError(`entry ${i + 1} of its settings timeline is not an object`);
    const step = new Reader(entry, `settings entry ${i + 1}`).count('step');
    if (step <= previous) throw new RunFileError(`its settings timeline goes back from step ${previous} to ${step}`);
    previous = step;
    return { step, config: storedConfig(ownValue(entry, 'config')) };
  });
}

/** Field readers that throw a RunFileError naming the field. */
class Reader {
  constructor(
    private readonly value: Record<string, unknown>,
    private readonly where = '',
  ) {}

  private fail(key: string, problem: string): never {
    throw new RunFileError(`${this.where ? `${this.where} ` : ''}${key} ${problem}`);
  }

  count(key: string): number {
    const v = ownValue(this.value, key);
    if (!Number.isSafeInteger(v) || (v as number) < 0) this.fail(key, `must be a whole number ≥ 0 (got ${describeValue(v)})`);
    return v as number;
  }

  nonNegative(key: string): number {
    const v = ownValue(this.value, key);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) this.fail(key, `must be a number ≥ 0 (got ${describeValue(v)})`);
    return v;
  }

  optionalNonNegative(key: string): number | null {
    return ownValue(this.value, key) === null ? null : this.nonNegative(key);
  }

  optionalFraction(key: string): number | null {
    const v = ownValue(this.value, key);
    if (v === null) return null;
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) this.fail(key, `must be a number from 0 to 1 or null (got ${describeValue(v)})`);
    return v;
  }

  date(key: string): string {
    const v = ownValue(this.value, key);
    if (typeof v !== 'string' || v.length > 40 || !Number.isFinite(Date.parse(v))) this.fail(key, `must be a date (got ${describeValue(v)})`);
    return v;
  }

  optionalText(key: string, max: number): string | null {
    const v = ownValue(this.value, key);
    if (v === null || v === undefined) return null;
    if (typeof v !== 'string' || v.length > max) this.fail(key, `must be text of at most ${max} characters or null`);
    return v;
  }

  record(key: string): Record<string, unknown> {
    const v = ownValue(this.value, key);
    if (!isRecord(v)) this.fail(key, 'is missing');
    return v;
  }

  /** Arrays of finite numbers under `keys`, all of one length at most `max`. */
  sameLength(keys: string[], max: number): void {
    let length = -1;
    for (const key of keys) {
      const v = ownValue(this.value, key);
      if (!Array.isArray(v) || v.length > max) this.fail(key, `must be a list of at most ${max} numbers`);
      if (!v.every((x) => typeof x === 'number' && Number.isFinite(x))) this.fail(key, 'must hold finite numbers only');
      if (length >= 0 && v.length !== length) this.fail(key, `has ${v.length} values where ${keys[0]} has ${length}`);
      length = v.length;
    }
  }

  evaluations(key: string): EvaluationPoint[] {
    const v = ownValue(this.value, key);
    if (!Array.isArray(v) || v.length > RUN_LIMITS.evaluations) this.fail(key, `must be a list of at most ${RUN_LIMITS.evaluations} evaluations`);
    return v.map((point, i) => {
      if (!isRecord(point)) this.fail(key, `entry ${i + 1} is not an object`);
      const read = new Reader(point, `${key} entry ${i + 1}`);
      const testAccuracy = read.optionalFraction('testAccuracy');
      if (testAccuracy === null) this.fail(key, `entry ${i + 1} has no test accuracy`);
      return { step: read.count('step'), testLoss: read.nonNegative('testLoss'), testAccuracy };
    });
  }

  confusion(key: string): number[] | null {
    const v = ownValue(this.value, key);
    if (v === null) return null;
    if (!Array.isArray(v) || v.length !== MNIST_CLASSES * MNIST_CLASSES || !v.every((x) => Number.isSafeInteger(x) && x >= 0)) {
      this.fail(key, `must be ${MNIST_CLASSES * MNIST_CLASSES} counts or null`);
    }
    return v as number[];
  }
}
