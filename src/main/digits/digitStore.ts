// The learner's digits on disk: one file (`digits.json` in the digits folder) holding every
// digit's label, date and 784 pixel bytes (base64), rewritten atomically on each change, so a
// crash leaves the set either as it was or as it was meant to be. A file that cannot be read is
// moved aside (never deleted) and the learner is told; the set starts empty.
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { checkJsonDepth } from '../../shared/jsonDepth';
import { messageOf } from '../../shared/messageOf';
import { MNIST_PIXELS } from '../../shared/mnist';
import { describeValue, isRecord } from '../../shared/model/settings';
import { isDigitLabel, MAX_MY_DIGITS, type MyDigit, type MyDigitsSet, type NewDigits } from '../../shared/myDigits';
import { ownValue } from '../../shared/ownKeys';
import { atomicWriteFile } from '../files/atomicWrite';
import { readRegularText } from '../files/readRegularFile';

export const DIGITS_FILE = 'digits.json';
const FORMAT = 'digitrain-digits';
const FORMAT_VERSION = 1;
/** A full set is about 1.1 MB; a file much larger than that is not ours. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

export class DigitStore {
  private digits: MyDigit[] | null = null;
  private problem: string | null = null;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    readonly dir: string,
    private readonly now: () => number = Date.now,
  ) {}

  get path(): string {
    return join(this.dir, DIGITS_FILE);
  }

  /** The set (read from disk the first time). */
  list(): Promise<MyDigitsSet> {
    return this.serial(async () => this.snapshot(await this.loaded()));
  }

  add(digits: NewDigits): Promise<MyDigitsSet> {
    return this.serial(async () => {
      const all = await this.loaded();
      if (all.length + digits.labels.length > MAX_MY_DIGITS) {
        throw new Error(`the set holds at most ${MAX_MY_DIGITS} digits (it has ${all.length}; ${digits.labels.length} more do not fit): delete some first`);
      }
      const added = new Date(this.now()).toISOString();
      const next = [
        ...all,
        ...digits.labels.map((label, i) => ({
          id: randomUUID().replaceAll('-', ''),
          label,
          added,
          pixels: digits.pixels.slice(i * MNIST_PIXELS, (i + 1) * MNIST_PIXELS),
        })),
      ];
      await this.write(next);
      return this.snapshot(next);
    });
  }

  remove(id: string): Promise<MyDigitsSet> {
    return this.serial(async () => {
      const all = await this.loaded();
      if (!all.some((d) => d.id === id)) throw new Error('there is no such digit (it may have been deleted already)');
      const next = all.filter((d) => d.id !== id);
      await this.write(next);
      return this.snapshot(next);
    });
  }

  private serial<T>(job: () => Promise<T>): Promise<T> {
    const next = this.chain.then(job, job);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private snapshot(digits: MyDigit[]): MyDigitsSet {
    return { digits: digits.map((d) => ({ ...d, pixels: d.pixels.slice() })), folder: this.dir, problem: this.problem };
  }

  private async write(digits: MyDigit[]): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    const stored = digits.map(({ id, label, added, pixels }) => ({ id, label, added, pixels: Buffer.from(pixels).toString('base64') }));
    await atomicWriteFile(this.path, JSON.stringify({ format: FORMAT, formatVersion: FORMAT_VERSION, digits: stored }));
    this.digits = digits;
  }

  private async loaded(): Promise<MyDigit[]> {
    if (this.digits) return this.digits;
    let text: string | null = null;
    try {
      // Only a regular file, at most MAX_FILE_BYTES of it: a FIFO or /dev/zero here is refused at once.
      text = await readRegularText(this.path, MAX_FILE_BYTES, (size) => (size > MAX_FILE_BYTES ? `is ${size} bytes, more than a set of ${MAX_MY_DIGITS} digits can be` : null));
      this.digits = parseDigitsFile(text);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.digits = [];
      } else {
        const aside = `${this.path}.unreadable-${new Date(this.now()).toISOString().replace(/[:.]/g, '-')}`;
        await fs.rename(this.path, aside).catch(() => undefined);
        this.problem = `Your saved digits could not be read (${messageOf(error)}); the file was kept as ${aside} and the set starts empty.`;
        this.digits = [];
      }
    }
    return this.digits;
  }
}

/** The stored set, every digit checked (id, label, date, 784 pixel bytes). */
export function parseDigitsFile(text: string): MyDigit[] {
  checkJsonDepth(text, 'the digits file');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('the digits file is not valid JSON');
  }
  if (!isRecord(value) || ownValue(value, 'format') !== FORMAT) throw new Error('it is not a Digitrain digits file');
  const version = ownValue(value, 'formatVersion');
  if (!Number.isInteger(version) || (version as number) < 1 || (version as number) > FORMAT_VERSION) throw new Error(`its format version ${describeValue(version)} is not one this Digitrain reads`);
  const digits = ownValue(value, 'digits');
  if (!Array.isArray(digits) || digits.length > MAX_MY_DIGITS) throw new Error(`it must list at most ${MAX_MY_DIGITS} digits`);
  return digits.map((d, i) => {
    const at = `digit ${i + 1}`;
    if (!isRecord(d)) throw new Error(`${at} is not an object`);
    const id = ownValue(d, 'id');
    const label = ownValue(d, 'label');
    const added = ownValue(d, 'added');
    const pixels = ownValue(d, 'pixels');
    if (typeof id !== 'string' || !/^[a-z0-9]{6,32}$/.test(id)) throw new Error(`${at} has no valid id`);
    if (!isDigitLabel(label)) throw new Error(`${at}'s label ${describeValue(label)} is not a digit`);
    if (typeof added !== 'string' || added.length > 40 || !Number.isFinite(Date.parse(added))) throw new Error(`${at} has no valid date`);
    if (typeof pixels !== 'string' || pixels.length > 2 * MNIST_PIXELS) throw new Error(`${at} has no pixels`);
    const bytes = new Uint8Array(Buffer.from(pixels, 'base64'));
    if (bytes.length !== MNIST_PIXELS) throw new Error(`${at} has ${bytes.length} pixels, not ${MNIST_PIXELS}`);
    return { id, label, added, pixels: bytes };
  });
}
