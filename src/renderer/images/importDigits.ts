// Reading a folder of labelled digits (as "My digits" exports it: PNGs and labels.csv) in the
// browser: labels.csv first, then each image it names, each decoded and checked like a dropped
// file (readImageFile) and turned into the model's 28×28. Files it does not name are counted,
// not read; a file that cannot be used is reported by name and costs only itself.
import { ContractError } from '../../shared/contractError';
import { mnistBytes } from '../../shared/images/mnistImage';
import { preprocessDigit } from '../../shared/images/preprocess';
import { messageOf } from '../../shared/messageOf';
import { MNIST_PIXELS } from '../../shared/mnist';
import { digitBytes, LABELS_FILE, MAX_LABELS_FILE_BYTES, MAX_MY_DIGITS, parseLabelsCsv, type NewDigits } from '../../shared/myDigits';
import { readImageFile } from './readImageFile';

export interface ImportedDigits {
  digits: NewDigits | null;
  /** Problems by file, and files without a label. */
  skipped: string[];
}

export async function importDigitFolder(files: readonly File[]): Promise<ImportedDigits> {
  const labelsFile = files.find((f) => f.name.toLowerCase() === LABELS_FILE);
  if (!labelsFile) throw new ContractError(`the folder has no ${LABELS_FILE} (a line "file,label" per image)`);
  if (labelsFile.size > MAX_LABELS_FILE_BYTES) throw new ContractError(`${LABELS_FILE} is larger than ${MAX_LABELS_FILE_BYTES / 1024} kB`);
  const labels = parseLabelsCsv(await labelsFile.text());
  const byName = new Map(files.map((f) => [f.name, f]));
  const skipped: string[] = [];
  const kept: { label: number; bytes: Uint8Array }[] = [];
  for (const [name, label] of labels) {
    const file = byName.get(name);
    if (!file) {
      skipped.push(`${name}: not in the folder`);
      continue;
    }
    try {
      const image = await readImageFile(file);
      kept.push({ label, bytes: mnistBytes(image) ?? digitBytes(preprocessDigit(image)) });
    } catch (error) {
      skipped.push(`${name}: ${messageOf(error)}`);
    }
    if (kept.length >= MAX_MY_DIGITS) break;
  }
  const unlabelled = files.filter((f) => f !== labelsFile && !labels.has(f.name)).length;
  if (unlabelled > 0) skipped.push(`${unlabelled} file(s) not named in ${LABELS_FILE}`);
  if (kept.length === 0) return { digits: null, skipped };
  const pixels = new Uint8Array(kept.length * MNIST_PIXELS);
  kept.forEach((d, i) => pixels.set(d.bytes, i * MNIST_PIXELS));
  return { digits: { labels: kept.map((d) => d.label), pixels }, skipped };
}
