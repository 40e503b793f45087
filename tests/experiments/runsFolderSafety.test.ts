// Issue 26, point 4: the runs folder only ever touches regular files named like the runs the
// app writes, and two processes writing it at once (the web host and `train --record`) lose
// nothing. Before: clean-up deleted any `*.safetensors` without a record once 10 minutes old
// (important.safetensors too), a folder named stray.safetensors made every request fail with
// EISDIR, and the index had no lock between processes.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withFolderLock } from '../../src/main/files/folderLock';
import { parseRunIndex } from '../../src/main/runs/runFile';
import { INDEX_FILE, LOCK_FILE, RunStore } from '../../src/main/runs/runStore';
import { makeRun, smallWeights } from './helpers';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'digitrain-runs-safety-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A run id as the app makes them (a UUID's hex digits). */
const ORPHAN = '0123456789abcdef0123456789abcdef';
const HOUR_AGO = new Date(Date.now() - 3600_000);

describe('clean-up touches only the run files the app writes', () => {
  it('an old important.safetensors stays; an old orphaned run weights file goes', async () => {
    writeFileSync(join(dir, 'important.safetensors'), 'precious');
    utimesSync(join(dir, 'important.safetensors'), HOUR_AGO, HOUR_AGO);
    writeFileSync(join(dir, `${ORPHAN}.safetensors`), 'left by a save cut short');
    utimesSync(join(dir, `${ORPHAN}.safetensors`), HOUR_AGO, HOUR_AGO);
    writeFileSync(join(dir, 'notes.json'), '{}');
    await new RunStore(dir).save(makeRun(), smallWeights());
    expect(readFileSync(join(dir, 'important.safetensors'), 'utf8')).toBe('precious');
    expect(readFileSync(join(dir, 'notes.json'), 'utf8')).toBe('{}');
    expect(existsSync(join(dir, `${ORPHAN}.safetensors`))).toBe(false);
  });

  it('a folder named stray.safetensors (or like a run) and a symlink named like a run are left alone; every request works', async () => {
    for (const name of ['stray.safetensors', 'folder01.safetensors', 'folder02.json']) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'inside'), 'x');
      utimesSync(join(dir, name), HOUR_AGO, HOUR_AGO);
    }
    const target = join(dir, 'elsewhere.bin');
    writeFileSync(target, 'not ours');
    symlinkSync(target, join(dir, 'link0001.safetensors'));
    const store = new RunStore(dir);
    const run = makeRun();
    await store.save(run, smallWeights());
    const list = await store.list();
    expect(list.runs.map((r) => r.id)).toEqual([run.id]);
    expect((await store.records([run.id]))[0].id).toBe(run.id);
    expect((await store.files(run.id)).weights).not.toBeNull();
    await store.rename(run.id, 'kept');
    expect((await store.remove(run.id)).runs).toEqual([]);
    for (const name of ['stray.safetensors', 'folder01.safetensors', 'folder02.json']) expect(readFileSync(join(dir, name, 'inside'), 'utf8')).toBe('x');
    expect(readFileSync(join(dir, 'link0001.safetensors'), 'utf8')).toBe('not ours');
  });
});

describe('two processes writing the runs folder at once', () => {
  it('lose no run from the index, and give no two runs the same name', async () => {
    const child = join(import.meta.dirname, 'fixtures/saveRuns.ts');
    const run = () => promisify(execFile)(process.execPath, ['--import', 'tsx', child, dir, '12'], { timeout: 240_000 });
    const [a, b] = await Promise.all([run(), run()]);
    const ids = [...(JSON.parse(a.stdout) as string[]), ...(JSON.parse(b.stdout) as string[])];
    expect(new Set(ids).size).toBe(24);
    // The index as the last writer left it, read without reconciling: every run is in it.
    const index = parseRunIndex(readFileSync(join(dir, INDEX_FILE), 'utf8'));
    expect(index.entries.map((e) => e.summary.id).sort()).toEqual([...ids].sort());
    const names = index.entries.map((e) => e.summary.name);
    expect(new Set(names).size).toBe(24);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  }, 600_000);

  it('a lock left by a process that died is taken over; a live one is waited for', async () => {
    writeFileSync(join(dir, LOCK_FILE), `999999999 ${(await import('node:os')).hostname()} 0 dead`);
    expect((await new RunStore(dir).list()).runs).toEqual([]);
    const order: string[] = [];
    let release!: () => void;
    const held = withFolderLock(
      dir,
      LOCK_FILE,
      () =>
        new Promise<void>((resolve) => {
          order.push('first in');
          release = () => {
            order.push('first out');
            resolve();
          };
        }),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = new RunStore(dir).list().then(() => order.push('second'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(order).toEqual(['first in']);
    release();
    await Promise.all([held, second]);
    expect(order).toEqual(['first in', 'first out', 'second']);
  });
});
