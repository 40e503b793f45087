// Write a file so that readers see either the old contents or the new, never a torn
// mix: write a temporary file in the same directory (same filesystem, so rename is
// atomic), fsync it, rename it over the target, then fsync the directory so the
// rename itself survives a crash. On any failure the temporary file is removed and
// the target is left as it was; the error names the target, not the temporary file.
//
// Temporaries are `.<name>.<pid>.<12 hex>.tmp` beside the target. Ctrl+C or SIGTERM
// during a write removes them before the process ends, and a write sweeps away the ones
// a killed process (SIGKILL, power loss) left behind for the same target.

import { randomBytes } from 'node:crypto';
import { promises as fs, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { FileWriteError } from './fileErrors';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** The temporary files this process is writing now (removed on a signal). */
const liveTemps = new Set<string>();

export function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/** The pid in a temporary file name of ours for `target`, or null when the name is not one. */
export function temporaryOwner(name: string, target: string): number | null {
  const prefix = `.${basename(target)}.`;
  if (!name.startsWith(prefix)) return null;
  const match = /^(\d+)\.[0-9a-f]{12}\.tmp$/.exec(name.slice(prefix.length));
  return match ? Number(match[1]) : null;
}

export async function atomicWriteFile(path: string, bytes: Uint8Array | string): Promise<void> {
  const dir = dirname(path);
  await sweepStaleTemporaries(path);
  const temp = temporaryPathFor(path);
  let handle: fs.FileHandle | null = null;
  trackTemporary(temp);
  try {
    handle = await fs.open(temp, 'wx');
    await handle.writeFile(bytes);
    await handle.sync();
    await handle.close();
    handle = null;
    await fs.rename(temp, path);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw new FileWriteError(path, error);
  } finally {
    untrackTemporary(temp);
  }
  await syncDirectory(dir);
}

/** Removes temporaries of ours for `path` whose writer is gone (a process killed mid-write). */
export async function sweepStaleTemporaries(path: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(dirname(path));
  } catch {
    return []; // the write itself reports a missing or unreadable folder
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = temporaryOwner(name, path);
    if (pid === null) continue;
    const full = join(dirname(path), name);
    if (pid === process.pid ? liveTemps.has(full) : isRunning(pid)) continue;
    await fs.rm(full, { force: true }).then(
      () => removed.push(full),
      () => undefined,
    );
  }
  return removed;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function trackTemporary(temp: string): void {
  if (liveTemps.size === 0) for (const signal of SIGNALS) process.on(signal, removeTemporariesAndExit);
  liveTemps.add(temp);
}

function untrackTemporary(temp: string): void {
  liveTemps.delete(temp);
  if (liveTemps.size === 0) for (const signal of SIGNALS) process.off(signal, removeTemporariesAndExit);
}

/**
 * A signal arrived mid-write: remove the temporaries (synchronously, the process is about to
 * end), then let the signal do what it would have done without us: end the process, unless
 * the program has its own handler for it.
 */
function removeTemporariesAndExit(signal: NodeJS.Signals): void {
  for (const temp of liveTemps) rmSync(temp, { force: true });
  liveTemps.clear();
  for (const s of SIGNALS) process.off(s, removeTemporariesAndExit);
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

async function syncDirectory(dir: string): Promise<void> {
  // Not every platform lets a directory be opened for fsync (Windows); the rename is still done.
  try {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    /* best effort */
  }
}
