// A lock between processes on one folder: a lock file created with O_EXCL (`wx`), holding
// the owner's pid and host. The runs folder has two writers that may run at once, the web
// host (or the desktop app) and the command line's `train --record`; each reads the index,
// changes it and writes it back, so without a lock one's update could undo the other's.
//
// A lock whose owner has died (same host, the pid is gone) or that is older than `staleMs`
// (a crash on another host sharing the folder, or a hung process) is taken over: renamed
// aside first, atomically, so of two processes that both find it stale only one removes it.
import { hostname } from 'node:os';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';

export interface FolderLockOptions {
  /** A lock older than this is taken over whoever holds it. */
  staleMs?: number;
  /** Give up (with an error naming the lock file) after waiting this long. */
  timeoutMs?: number;
}

const HOST = hostname();

/** Runs `fn` holding the lock file `name` in `dir` (created when missing); releases it after, also on a throw. */
export async function withFolderLock<T>(dir: string, name: string, fn: () => Promise<T>, options: FolderLockOptions = {}): Promise<T> {
  const path = join(dir, name);
  const token = await acquire(path, options.staleMs ?? 30_000, options.timeoutMs ?? 60_000);
  try {
    return await fn();
  } finally {
    await release(path, token);
  }
}

async function acquire(path: string, staleMs: number, timeoutMs: number): Promise<string> {
  const token = `${process.pid} ${HOST} ${Date.now()} ${Math.random().toString(36).slice(2)}`;
  const deadline = Date.now() + timeoutMs;
  for (let wait = 2; ; wait = Math.min(wait * 2, 100)) {
    try {
      await fs.writeFile(path, token, { flag: 'wx' });
      return token;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (await breakIfStale(path, staleMs)) continue;
    if (Date.now() > deadline) throw new Error(`the folder is locked by another Digitrain process (${path}); try again, or remove that file if no Digitrain is running`);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/** Whether the lock at `path` was stale and is now gone (or was gone already). */
async function breakIfStale(path: string, staleMs: number): Promise<boolean> {
  let text: string;
  let mtimeMs: number;
  try {
    [text, mtimeMs] = await Promise.all([fs.readFile(path, 'utf8'), fs.stat(path).then((s) => s.mtimeMs)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
  const [pid, host] = text.split(' ');
  const ownerGone = host === HOST && Number.isInteger(Number(pid)) && !isAlive(Number(pid));
  // A lock being written has no text yet: only its age can make it stale.
  if (!ownerGone && Date.now() - mtimeMs < staleMs) return false;
  const aside = `${path}.stale-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    await fs.rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true; // someone else took it over
    throw error;
  }
  // Between our look and the rename, another process may have broken it and locked anew:
  // then what we moved is its fresh lock, and it goes back (link fails if a lock is there again).
  const moved = await fs.readFile(aside, 'utf8').catch(() => null);
  if (moved !== null && moved !== text) await fs.link(aside, path).catch(() => undefined);
  await fs.rm(aside, { force: true });
  return true;
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function release(path: string, token: string): Promise<void> {
  // Only our own lock: had it been taken over as stale, the file is someone else's now.
  const text = await fs.readFile(path, 'utf8').catch(() => null);
  if (text === token) await fs.rm(path, { force: true });
}
