// "My digits": the learner's own handwriting, labelled and kept. Digits drawn in the draw pad
// or dropped as files are stored like MNIST's images (28×28 greyscale bytes, ink high), so the
// model reads them exactly as it reads the test set; the Node side keeps the set on disk
// (main/digits/), measures the model on it, and can mix it into training batches.
// The set is exported as a folder of PNGs plus labels.csv, and imported from one.
import type { SaveResult } from './contract';
import { ContractError } from './contractError';
import { MNIST_CLASSES, MNIST_PIXELS } from './mnist';
import { describeValue, isRecord } from './model/settings';
import { ownValue } from './ownKeys';

export interface MyDigit {
  id: string;
  /** The digit it shows, 0..9. */
  label: number;
  /** ISO date it was added. */
  added: string;
  /** 28×28 greyscale, 0..255, ink high, row-major: the MNIST convention. */
  pixels: Uint8Array;
}

export interface MyDigitsSet {
  digits: MyDigit[];
  /** Where the set is kept (shown to the learner). */
  folder: string;
  /** A stored set that could not be read, in a sentence (it was kept aside, not deleted). */
  problem: string | null;
}

/** The model on the learner's digits: the answer for each, by id, after `step` steps. */
export interface MyDigitsResult {
  step: number;
  ids: string[];
  predicted: number[];
  correct: number;
}

/** Digits to add: `labels[i]` belongs to pixels [i·784, (i+1)·784). One array keeps the message small. */
export interface NewDigits {
  labels: number[];
  pixels: Uint8Array;
}

/** The digit requests of the contract (DigitrainApi extends this). */
export interface MyDigitsApi {
  listMyDigits(): Promise<MyDigitsSet>;
  /** Adds one digit (labelled in the draw pad) or many (an imported folder). */
  addMyDigits(digits: NewDigits): Promise<MyDigitsSet>;
  deleteMyDigit(id: string): Promise<MyDigitsSet>;
  /** The live model on the set now (null when the set is empty). */
  evaluateMyDigits(): Promise<MyDigitsResult | null>;
  /** A folder of PNGs and labels.csv: chosen in a dialog (Electron) or made in the data folder (web). */
  exportMyDigits(): Promise<SaveResult>;
}

/** The set's bound: enough to fine-tune on, small enough to send whole (784 kB). */
export const MAX_MY_DIGITS = 1000;
/** The labels file of an exported set, and the largest one read back. */
export const LABELS_FILE = 'labels.csv';
export const MAX_LABELS_FILE_BYTES = 256 * 1024;

const DIGIT_ID = /^[a-z0-9]{6,32}$/;

export function validateDigitId(value: unknown): string {
  if (typeof value !== 'string' || !DIGIT_ID.test(value)) throw new ContractError(`not a digit id: ${describeValue(value)}`);
  return value;
}

export function isDigitLabel(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) < MNIST_CLASSES;
}

export function validateNewDigits(value: unknown): NewDigits {
  if (!isRecord(value)) throw new ContractError(`digits must be { labels, pixels } (got ${describeValue(value)})`);
  const labels = ownValue(value, 'labels');
  const pixels = ownValue(value, 'pixels');
  if (!Array.isArray(labels) || labels.length === 0) throw new ContractError('digits need at least one label');
  if (labels.length > MAX_MY_DIGITS) throw new ContractError(`at most ${MAX_MY_DIGITS} digits at once (got ${labels.length})`);
  const bad = labels.findIndex((label) => !isDigitLabel(label));
  if (bad >= 0) throw new ContractError(`label ${bad + 1} must be a digit from 0 to ${MNIST_CLASSES - 1} (got ${describeValue(labels[bad])})`);
  if (!(pixels instanceof Uint8Array) || pixels.length !== labels.length * MNIST_PIXELS) {
    const got = pixels instanceof Uint8Array ? `${pixels.length} bytes` : describeValue(pixels);
    throw new ContractError(`digits must carry ${MNIST_PIXELS} bytes of pixels per label (${labels.length * MNIST_PIXELS}; got ${got})`);
  }
  return { labels: labels as number[], pixels };
}

/** A digit the model reads (784 values in [0, 1]) as stored bytes, rounded to the nearest level. */
export function digitBytes(pixels: ArrayLike<number>): Uint8Array {
  return Uint8Array.from({ length: MNIST_PIXELS }, (_, i) => Math.round(Math.min(1, Math.max(0, pixels[i])) * 255));
}

/** labels.csv of an exported set: a header, then `file,label` per digit. */
export function labelsCsv(entries: readonly { file: string; label: number }[]): string {
  return ['file,label', ...entries.map(({ file, label }) => `${file},${label}`)].join('\n') + '\n';
}

/**
 * Reads labels.csv: `file,label` lines (a header line and blank lines are skipped). Throws a
 * ContractError naming the first bad line; file names are plain names (no folders).
 */
export function parseLabelsCsv(text: string): Map<string, number> {
  if (text.length > MAX_LABELS_FILE_BYTES) throw new ContractError(`${LABELS_FILE} is larger than ${MAX_LABELS_FILE_BYTES / 1024} kB`);
  const labels = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || (i === 0 && /^file\s*,\s*label$/i.test(line))) continue;
    const match = /^([^,/\\]{1,200}),\s*(\d)$/.exec(line);
    if (!match) throw new ContractError(`${LABELS_FILE} line ${i + 1} is not "file,label" with a digit 0–${MNIST_CLASSES - 1}: ${describeValue(line)}`);
    const file = match[1].trim();
    if (labels.has(file)) throw new ContractError(`${LABELS_FILE} names ${describeValue(file)} twice`);
    labels.set(file, Number(match[2]));
    if (labels.size > MAX_MY_DIGITS) throw new ContractError(`${LABELS_FILE} lists more than ${MAX_MY_DIGITS} digits`);
  }
  return labels;
}
