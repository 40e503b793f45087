// The "My digits" requests of the contract, for both hosts: the set lives in a DigitStore on
// the host side and a copy goes to the training worker whenever it changes (and to every
// worker that starts), which mixes it into batches and measures the model on it. Exports are
// a folder of PNGs plus labels.csv, in a folder the host chooses (Electron asks the learner;
// the web host writes into its data folder and says where).
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { SaveResult } from '../../shared/contract';
import { messageOf } from '../../shared/messageOf';
import { MNIST_COLS, MNIST_PIXELS, MNIST_ROWS } from '../../shared/mnist';
import { labelsCsv, LABELS_FILE, type MyDigit } from '../../shared/myDigits';
import { atomicWriteFile } from '../files/atomicWrite';
import type { RequestHandlers } from '../training/requestHandlers';
import type { TrainingHost } from '../training/trainingHost';
import type { DigitStore } from './digitStore';
import { encodeGreyPng } from './png';

export type MyDigitsHandlers = Pick<RequestHandlers, 'listMyDigits' | 'addMyDigits' | 'deleteMyDigit' | 'evaluateMyDigits' | 'exportMyDigits'>;

/** The folder to make the export's folder in, or null when the learner cancelled. */
export type ChooseExportParent = () => Promise<string | null>;

export interface MyDigitsService {
  handlers: MyDigitsHandlers;
  dispose(): void;
}

export function createMyDigitsService(host: TrainingHost, store: DigitStore, chooseParent: ChooseExportParent): MyDigitsService {
  let current: MyDigit[] | null = null;

  /** The set to the worker; a failure is reported, not thrown (the request that changed the set has succeeded). */
  function send(): void {
    const digits = current;
    if (!digits) return;
    const pixels = new Uint8Array(digits.length * MNIST_PIXELS);
    digits.forEach((d, i) => pixels.set(d.pixels, i * MNIST_PIXELS));
    host.request('setMyDigits', { ids: digits.map((d) => d.id), labels: digits.map((d) => d.label), pixels }).catch((error: unknown) => {
      host.notify('error', { message: `your digits could not be given to the trainer: ${messageOf(error)}` });
    });
  }

  async function changed(set: Promise<{ digits: MyDigit[] }>) {
    const result = await set;
    current = result.digits;
    send();
    return result;
  }

  // A fresh worker (the first, or one after a crash) gets the set before anything else.
  const unsubscribe = host.onWorkerStart(() => send());
  // Read from disk at start; a worker already running gets it now, a later one when it starts.
  void store.list().then(
    (set) => {
      current = set.digits;
      if (host.isRunning && current.length > 0) send();
    },
    () => undefined, // the list request reports it
  );

  return {
    dispose: unsubscribe,
    handlers: {
      listMyDigits: () => store.list(),
      addMyDigits: (digits) => changed(store.add(digits)) as ReturnType<MyDigitsHandlers['addMyDigits']>,
      deleteMyDigit: (id) => changed(store.remove(id)) as ReturnType<MyDigitsHandlers['deleteMyDigit']>,
      evaluateMyDigits: () => host.request('evaluateMyDigits', {}),
      async exportMyDigits(): Promise<SaveResult> {
        const set = await store.list();
        if (set.digits.length === 0) throw new Error('there are no digits to export yet');
        const parent = await chooseParent();
        if (parent === null) return { saved: false, name: null };
        // Named by the time to the millisecond: two exports never meet in one folder.
        const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').replace('.', '-').replace('Z', '');
        const folder = join(parent, `my-digits-${stamp}`);
        await writeDigitFolder(folder, set.digits);
        return { saved: true, name: folder };
      },
    },
  };
}

/** `folder`/digit-0001.png … and labels.csv (the folder must not exist yet: nothing is overwritten). */
export async function writeDigitFolder(folder: string, digits: readonly MyDigit[]): Promise<void> {
  await fs.mkdir(folder, { recursive: false }).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return fs.mkdir(folder, { recursive: true });
    throw new Error(`cannot make the folder ${folder}: ${error.message}`);
  });
  const width = String(digits.length).length < 4 ? 4 : String(digits.length).length;
  const entries = digits.map((d, i) => ({ file: `digit-${String(i + 1).padStart(width, '0')}.png`, label: d.label, pixels: d.pixels }));
  for (const entry of entries) await atomicWriteFile(join(folder, entry.file), encodeGreyPng(entry.pixels, MNIST_COLS, MNIST_ROWS));
  await atomicWriteFile(join(folder, LABELS_FILE), labelsCsv(entries));
}
