// The runs folder: one record (`<id>.json`) and one weights file (`<id>.safetensors`) per run,
// and an index (`index.json`) of what the list shows. Every file is written atomically
// (files/atomicWrite.ts), so a crash leaves each one either as it was or as it was meant to be.
//
// The run files are the truth and the index is a cache of their summaries: each operation
// first compares the folder with the index (one stat per run) and reads again only the
// records whose size or time changed. So a run recorded by another process (the CLI's
// --record) or whose index update a crash cut off is picked up, a damaged index is rebuilt,
// and a damaged record is reported on every listing and left on disk as it is, while the
// other runs load. After each save the oldest runs are removed until the folder is within
// its bound.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { messageOf } from '../../shared/messageOf';
import { isAppRunId, isRunId, RUN_LIMITS, type RunList, type RunProblem, type RunRecord, type RunSummary } from '../../shared/runs';
import { atomicWriteFile } from '../files/atomicWrite';
import { withFolderLock } from '../files/folderLock';
import { FileReadError, readRegularText } from '../files/readRegularFile';
import { readWeightsFile } from '../weights/readWeightsFile';
import { encodeRunIndex, encodeRunRecord, parseRunIndex, parseRunRecord, RunFileError, type FileStamp, type IndexEntry, type StoredRun } from './runFile';

export const INDEX_FILE = 'index.json';
/** Held while a process reads and writes the folder (files/folderLock.ts). */
export const LOCK_FILE = 'runs.lock';

export interface RunStoreOptions {
  /** The folder's bound in bytes (records, weights and the index). */
  maxBytes?: number;
  /** At most this many runs, whatever their size. */
  maxRuns?: number;
  /** Weights files without a record are the remains of a save cut short; removed once older than this. */
  orphanAgeMs?: number;
  now?: () => number;
}

/** A run to save: its record without what the store decides (its name when new, when it was saved). */
export type RunToSave = Omit<StoredRun, 'name' | 'updated'> & { name?: string | null };

interface KnownRun {
  summary: IndexEntry['summary'];
  stamp: FileStamp;
  bytes: number;
  hasWeights: boolean;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === 'ENOENT';
}

export class RunStore {
  readonly maxBytes: number;
  readonly maxRuns: number;
  private readonly orphanAgeMs: number;
  private readonly now: () => number;
  private runs = new Map<string, KnownRun>();
  private nextNumber = 1;
  private damaged: RunProblem[] = [];
  /** One-time notes (an index rebuilt, runs removed for space) until the next listing shows them. */
  private notes: RunProblem[] = [];
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    readonly dir: string,
    options: RunStoreOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? RUN_LIMITS.defaultMaxBytes;
    this.maxRuns = options.maxRuns ?? RUN_LIMITS.runs;
    this.orphanAgeMs = options.orphanAgeMs ?? 10 * 60_000;
    this.now = options.now ?? Date.now;
  }

  list(): Promise<RunList> {
    return this.serial(async () => {
      await this.reconcile();
      return this.listing(true);
    });
  }

  /** The full records of these runs, in the order asked. */
  records(ids: readonly string[]): Promise<RunRecord[]> {
    return this.serial(async () => {
      await this.reconcile();
      const out: RunRecord[] = [];
      for (const id of ids) out.push((await this.readRecord(id)).record);
      return out;
    });
  }

  /** A run's record (as stored) and weights, for export and reopening. */
  files(id: string): Promise<{ record: RunRecord; recordText: string; weights: Uint8Array | null }> {
    return this.serial(async () => {
      await this.reconcile();
      const { record, text } = await this.readRecord(id);
      const weights = record.hasWeights ? await readWeightsFile(this.weightsPath(id)) : null;
      return { record, recordText: text, weights };
    });
  }

  /** Writes (or overwrites) a run, then keeps the folder within its bound; the run itself is never the one removed. */
  save(run: RunToSave, weights: Uint8Array | null): Promise<RunSummary> {
    return this.serial(async () => {
      if (!isRunId(run.id)) throw new Error(`not a run id: ${run.id}`);
      await this.reconcile();
      const known = this.runs.get(run.id);
      // A name the learner gave in the list wins over the recorder's.
      const name = known?.summary.name ?? run.name ?? `Run ${this.nextNumber++}`;
      // Through the reader: what is written is exactly what will be read back (and a record it would refuse is never written).
      const stored = parseRunRecord(encodeRunRecord({ ...run, name, updated: new Date(this.now()).toISOString() }), run.id);
      if (weights) await atomicWriteFile(this.weightsPath(run.id), weights);
      await atomicWriteFile(this.recordPath(run.id), encodeRunRecord(stored));
      await this.remember(run.id, stored);
      await this.keepWithinBound(run.id);
      await this.writeIndex();
      const saved = this.runs.get(run.id) as KnownRun;
      return { ...saved.summary, bytes: saved.bytes, hasWeights: saved.hasWeights };
    });
  }

  rename(id: string, name: string): Promise<RunList> {
    return this.serial(async () => {
      await this.reconcile();
      const { text } = await this.readRecord(id);
      const stored = parseRunRecord(text, id);
      const renamed = parseRunRecord(encodeRunRecord({ ...stored, name }), id);
      await atomicWriteFile(this.recordPath(id), encodeRunRecord(renamed));
      await this.remember(id, renamed);
      await this.writeIndex();
      return this.listing(false);
    });
  }

  /** Removes a run's files, also those of a damaged record (by the id its problem names). */
  remove(id: string): Promise<RunList> {
    return this.serial(async () => {
      if (!isRunId(id)) throw new Error(`not a run id: ${id}`);
      await this.reconcile();
      if (!this.runs.has(id) && !this.damaged.some((p) => p.id === id)) throw new Error('there is no such run (it may have been deleted already)');
      await this.removeFiles(id);
      await this.writeIndex();
      await this.reconcile();
      return this.listing(false);
    });
  }

  /**
   * One job at a time in this process, and holding the folder's lock against other processes
   * (the web host and `train --record` may write the index at once).
   */
  private serial<T>(job: () => Promise<T>): Promise<T> {
    const locked = async (): Promise<T> => {
      await fs.mkdir(this.dir, { recursive: true });
      return withFolderLock(this.dir, LOCK_FILE, job);
    };
    const next = this.chain.then(locked, locked);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private recordPath(id: string): string {
    return join(this.dir, `${id}.json`);
  }

  private weightsPath(id: string): string {
    return join(this.dir, `${id}.safetensors`);
  }

  private listing(consumeNotes: boolean): RunList {
    const runs = [...this.runs.values()].map(({ summary, bytes, hasWeights }) => ({ ...summary, bytes, hasWeights })).sort((a, b) => (a.started < b.started ? 1 : a.started > b.started ? -1 : 0));
    const problems = [...this.notes, ...this.damaged];
    if (consumeNotes) this.notes = [];
    return { runs, problems, folder: this.dir, bytes: this.totalBytes(), maxBytes: this.maxBytes };
  }

  private totalBytes(): number {
    let total = 0;
    for (const run of this.runs.values()) total += run.bytes;
    return total + Buffer.byteLength(this.indexText());
  }

  private note(problem: RunProblem): void {
    this.notes.push(problem);
    if (this.notes.length > 20) this.notes.splice(0, this.notes.length - 20);
  }

  /** Brings what we know in line with the folder (see the header). */
  private async reconcile(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    const entries = new Map<string, IndexEntry>();
    let indexChanged = false;
    try {
      const index = parseRunIndex(await this.readBounded(join(this.dir, INDEX_FILE), RUN_LIMITS.indexBytes));
      for (const entry of index.entries) entries.set(entry.summary.id, entry);
      this.nextNumber = Math.max(this.nextNumber, index.nextNumber);
    } catch (error) {
      if (!isMissing(error)) this.note({ id: null, message: `The runs index could not be read (${messageOf(error)}); it was rebuilt from the run files.` });
      indexChanged = true;
    }
    // Only regular files named like the runs this app writes: anything else in the folder
    // (important.safetensors, a folder named stray.safetensors, a symlink) is never read,
    // listed as a run's weights or removed.
    const names = await fs.readdir(this.dir, { withFileTypes: true });
    const runFiles = (extension: string): string[] =>
      names.filter((n) => n.isFile() && n.name.endsWith(extension) && isRunId(n.name.slice(0, -extension.length))).map((n) => n.name.slice(0, -extension.length));
    const recordIds = names.filter((n) => !n.isDirectory() && n.name.endsWith('.json') && isRunId(n.name.slice(0, -5))).map((n) => n.name.slice(0, -5));
    const weightIds = new Set(runFiles('.safetensors'));
    const runs = new Map<string, KnownRun>();
    const damaged: RunProblem[] = [];
    for (const id of recordIds) {
      const stat = await fs.stat(this.recordPath(id)).catch(() => null);
      if (!stat) continue; // removed meanwhile
      const stamp = { size: stat.size, mtimeMs: stat.mtimeMs };
      const weightsSize = weightIds.has(id) ? await this.weightsSize(id) : null;
      const entry = entries.get(id);
      let summary = entry && entry.stamp.size === stamp.size && entry.stamp.mtimeMs === stamp.mtimeMs ? entry.summary : null;
      if (!summary) {
        try {
          summary = summaryOf(parseRunRecord(await this.readBounded(this.recordPath(id), RUN_LIMITS.recordBytes), id));
          indexChanged = true;
        } catch (error) {
          damaged.push({ id, message: `The run file ${id}.json could not be read (${messageOf(error)}); it was skipped and left on disk as it is.` });
          continue;
        }
      }
      runs.set(id, { summary, stamp, bytes: stamp.size + (weightsSize ?? 0), hasWeights: weightsSize !== null });
      this.nextNumber = Math.max(this.nextNumber, numberIn(summary.name) + 1);
    }
    for (const [id, entry] of entries) {
      if (runs.has(id) || damaged.some((p) => p.id === id)) continue;
      this.note({ id: null, message: `Run "${entry.summary.name}" was in the index, but its file is gone.` });
      indexChanged = true;
    }
    // Weights whose record never landed (a save cut short): no run to show them with.
    for (const id of weightIds) {
      if (recordIds.includes(id) || !isAppRunId(id)) continue;
      const stat = await fs.lstat(this.weightsPath(id)).catch(() => null);
      if (stat?.isFile() && this.now() - stat.mtimeMs > this.orphanAgeMs) await fs.rm(this.weightsPath(id), { force: true });
    }
    this.runs = runs;
    this.damaged = damaged;
    if (indexChanged) await this.writeIndex();
  }

  /** A run file's text: only a regular file (a FIFO or /dev/zero is refused at once), at most `maxBytes`. */
  private async readBounded(path: string, maxBytes: number): Promise<string> {
    try {
      return await readRegularText(path, maxBytes, (size) => (size > maxBytes ? `it is ${size} bytes, more than such a file can be (${maxBytes})` : null));
    } catch (error) {
      if (error instanceof FileReadError) throw new RunFileError(error.kind === 'too-large' ? error.reason : `it ${error.reason}`);
      throw error;
    }
  }

  private async readRecord(id: string): Promise<{ record: RunRecord; text: string }> {
    const known = this.runs.get(id);
    if (!known) {
      const problem = this.damaged.find((p) => p.id === id);
      throw new Error(problem ? problem.message : 'there is no such run (it may have been deleted)');
    }
    let text: string;
    let stored: StoredRun;
    try {
      text = await this.readBounded(this.recordPath(id), RUN_LIMITS.recordBytes);
      stored = parseRunRecord(text, id);
    } catch (error) {
      throw new Error(`the run file ${id}.json could not be read (${messageOf(error)})`);
    }
    return { record: { ...stored, bytes: known.bytes, hasWeights: known.hasWeights }, text };
  }

  private async remember(id: string, stored: StoredRun): Promise<void> {
    const stat = await fs.stat(this.recordPath(id));
    const weightsSize = await this.weightsSize(id);
    this.runs.set(id, {
      summary: summaryOf(stored),
      stamp: { size: stat.size, mtimeMs: stat.mtimeMs },
      bytes: stat.size + (weightsSize ?? 0),
      hasWeights: weightsSize !== null,
    });
  }

  /** Removes the oldest runs (by start) until the folder fits; `keep` (the run just saved) stays. */
  private async keepWithinBound(keep: string): Promise<void> {
    const removed: string[] = [];
    const oldestFirst = [...this.runs.values()].filter((r) => r.summary.id !== keep).sort((a, b) => (a.summary.started < b.summary.started ? -1 : 1));
    while ((this.totalBytes() > this.maxBytes || this.runs.size > this.maxRuns) && oldestFirst.length > 0) {
      const oldest = oldestFirst.shift() as KnownRun;
      await this.removeFiles(oldest.summary.id);
      removed.push(oldest.summary.name);
    }
    if (removed.length > 0) {
      const bound = `${Math.round(this.maxBytes / 1048576)} MB and ${this.maxRuns} runs`;
      const names = removed.length <= 3 ? removed.map((n) => `"${n}"`).join(', ') : `${removed.length} runs`;
      this.note({ id: null, message: `To keep the runs folder within ${bound}, the oldest runs were removed: ${names}.` });
    }
  }

  /** The size of a run's weights file, or null when there is no such regular file. */
  private async weightsSize(id: string): Promise<number | null> {
    const stat = await fs.lstat(this.weightsPath(id)).catch(() => null);
    return stat?.isFile() ? stat.size : null;
  }

  private async removeFiles(id: string): Promise<void> {
    // The record first: without it, the weights are an orphan that the next pass removes.
    await removeRegularFile(this.recordPath(id));
    await removeRegularFile(this.weightsPath(id));
    this.runs.delete(id);
    this.damaged = this.damaged.filter((p) => p.id !== id);
  }

  private indexText(): string {
    return encodeRunIndex({
      nextNumber: this.nextNumber,
      entries: [...this.runs.values()].map(({ summary, stamp }) => ({ summary, stamp })),
    });
  }

  private async writeIndex(): Promise<void> {
    await atomicWriteFile(join(this.dir, INDEX_FILE), this.indexText());
  }
}

/** Removes `path` if it is a regular file (or a symlink: the link, never what it points to); a folder or device stays. */
async function removeRegularFile(path: string): Promise<void> {
  const stat = await fs.lstat(path).catch(() => null);
  if (stat && (stat.isFile() || stat.isSymbolicLink())) await fs.rm(path, { force: true });
}

function summaryOf(run: StoredRun): IndexEntry['summary'] {
  const { history: _h, timeline: _t, evaluations: _e, confusion: _c, ...summary } = run;
  return summary;
}

/** N of the default name "Run N" (so new runs count on from the highest), else 0. */
function numberIn(name: string): number {
  const match = /^Run (\d{1,9})$/.exec(name);
  return match ? Number(match[1]) : 0;
}
