// Issue 12, item 9: `npm run train --out` reported a missing folder, a read-only file system or
// a folder as the target only after training, naming the temporary file (ENOENT …
// .m.safetensors.5513.4326c9d03f19.tmp); SIGTERM during the fsync left a hidden 407 KB
// temporary file beside the target.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTrainCommand } from '../../src/main/cli/trainCommand';
import { atomicWriteFile, sweepStaleTemporaries, temporaryOwner } from '../../src/main/files/atomicWrite';
import { loadMnist } from '../../src/main/data/loadMnist';

const SLOW_WRITE = fileURLToPath(new URL('./fixtures/slowWrite.ts', import.meta.url));

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'digitrain-out-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  let dataLoaded = false;
  const io = {
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text), isTTY: false },
    loadData: () => {
      dataLoaded = true;
      const { train, test } = loadMnist();
      return { train, test };
    },
  };
  return { io, out, err, dataLoaded: () => dataLoaded };
}

describe('--out is checked before training, and errors name the path as given', () => {
  it.each([
    [
      'a missing folder',
      () => relative(process.cwd(), join(dir, 'no-such-folder', 'm.safetensors')),
      (out: string) => `cannot write ${out}: the folder ${out.slice(0, out.lastIndexOf('/'))} does not exist`,
    ],
    [
      'a folder as the target',
      () => {
        mkdirSync(join(dir, 'a-folder'), { recursive: true });
        return join(dir, 'a-folder');
      },
      (out: string) => `cannot write ${out}: ${out} is a folder; give a file name`,
    ],
    [
      'a file as the folder',
      () => {
        writeFileSync(join(dir, 'plain-file'), 'x');
        return join(dir, 'plain-file', 'm.safetensors');
      },
      (out: string) => `cannot write ${out}: ${join(dir, 'plain-file')} is not a folder`,
    ],
    // sysfs refuses new files even to root, which a chmod-ed folder does not.
    ['a folder no file can be created in', () => '/sys/m.safetensors', (out: string) => `cannot write ${out}: permission denied (no right to write in /sys)`],
  ])('%s', async (_what, makeOut, message) => {
    const out = makeOut();
    const { io, err, dataLoaded } = capture();
    const code = await runTrainCommand(['--steps', '5', '--hidden', '8', '--out', out], io);
    expect(code).toBe(1);
    expect(err.join('')).toBe(`\ntrain failed: ${message(out)}\n`);
    expect(dataLoaded()).toBe(false); // refused before loading MNIST, let alone training
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

describe('temporary files', () => {
  it('a signal during the write removes the temporary file; the old target stays intact', async () => {
    const target = join(dir, 'interrupted.safetensors');
    writeFileSync(target, 'the previous weights');
    const child = spawn(process.execPath, ['--import', 'tsx', SLOW_WRITE, target, '300'], { stdio: 'pipe' });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const temporaries = () => readdirSync(dir).filter((name) => temporaryOwner(name, target) !== null);
    const deadline = Date.now() + 120_000;
    while (temporaries().length === 0 && Date.now() < deadline && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 2));
    expect(temporaries()).toHaveLength(1);
    child.kill('SIGTERM');
    // It still dies of the signal (as it would have without us), having removed its temporary first.
    expect(await exited).toEqual({ code: null, signal: 'SIGTERM' });
    expect(temporaries()).toEqual([]);
    expect(readFileSync(target, 'utf8')).toBe('the previous weights');
  });

  it('the next write sweeps temporaries of our naming left by a process that is gone, and only those', async () => {
    const target = join(dir, 'model.safetensors');
    const deadPid = 2 ** 31 - 1; // above any pid_max: no such process
    const stale = join(dir, `.model.safetensors.${deadPid}.0123456789ab.tmp`);
    const live = join(dir, `.model.safetensors.${process.ppid}.0123456789ab.tmp`); // its writer is running
    const otherTarget = join(dir, `.other.safetensors.${deadPid}.0123456789ab.tmp`);
    const notOurs = join(dir, '.model.safetensors.notes.tmp');
    for (const path of [stale, live, otherTarget, notOurs]) writeFileSync(path, 'x');
    await atomicWriteFile(target, 'new');
    expect(existsSync(stale)).toBe(false);
    expect([live, otherTarget, notOurs].every(existsSync)).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('new');
    expect(await sweepStaleTemporaries(join(dir, 'other.safetensors'))).toEqual([otherTarget]);
  });
});
