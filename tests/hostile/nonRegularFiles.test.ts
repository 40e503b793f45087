// Issue 26, point 5: files that are not regular files are refused at once, by name, and no
// file is read past its limit. Before: `train --arch /dev/zero` read until 8.7 GB, `classify`
// of /dev/zero reached 3.2 GB (its stat size is 0), a FIFO as --weights, as a run record or
// as digits.json hung forever, and /dev/zero as --weights was called "a text file".
// Every case here runs under a few seconds' test timeout, so a hang or an unbounded read fails.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine';
import { modelFromOptions } from '../../src/main/cli/modelOption';
import { DigitStore } from '../../src/main/digits/digitStore';
import { FileReadError, readRegularFile, readRegularFileSync } from '../../src/main/files/readRegularFile';
import { SpecModel } from '../../src/main/model/specModel';
import { RunStore } from '../../src/main/runs/runStore';
import { encodeWeightsFile } from '../../src/main/weights/encode';
import { readWeightsFile } from '../../src/main/weights/readWeightsFile';
import { defaultConfig } from '../../src/shared/contract';
import { MAX_SPEC_FILE_BYTES } from '../../src/shared/model/specFile';

let dir: string;
let fifo: string;
let zeroLink: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'digitrain-nonregular-'));
  fifo = join(dir, 'pipe');
  execFileSync('mkfifo', [fifo]);
  zeroLink = join(dir, 'zero-link');
  symlinkSync('/dev/zero', zeroLink);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readRegularFile: one bounded reader for every file the app reads', () => {
  it('reads a regular file, and refuses one over the limit', async () => {
    const file = join(dir, 'small.bin');
    writeFileSync(file, new Uint8Array([1, 2, 3, 4, 5]));
    expect(Array.from(await readRegularFile(file, 5))).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(readRegularFileSync(file, 5))).toEqual([1, 2, 3, 4, 5]);
    await expect(readRegularFile(file, 4)).rejects.toThrow(/5 bytes, more than such a file can be \(4\)/);
    expect(() => readRegularFileSync(file, 4)).toThrow(FileReadError);
  });

  it('names /dev/zero, a symlink to it, a FIFO and a directory for what they are, without blocking', async () => {
    for (const [path, kind] of [
      ['/dev/zero', /character device/],
      [zeroLink, /character device/],
      [fifo, /named pipe \(FIFO\)/],
      [dir, /directory/],
    ] as const) {
      await expect(readRegularFile(path, 1 << 20)).rejects.toThrow(kind);
      expect(() => readRegularFileSync(path, 1 << 20)).toThrow(kind);
    }
  });
});

describe('every reader of files uses it', () => {
  it('--arch: /dev/zero, a FIFO and a file over 1 MiB are refused by name', async () => {
    await expect(modelFromOptions({ arch: '/dev/zero', hidden: null })).rejects.toThrow(/--arch \/dev\/zero is a character device/);
    await expect(modelFromOptions({ arch: fifo, hidden: null })).rejects.toThrow(/named pipe/);
    const big = join(dir, 'big.json');
    writeFileSync(big, ' '.repeat(MAX_SPEC_FILE_BYTES + 10));
    await expect(modelFromOptions({ arch: big, hidden: null })).rejects.toThrow(/too large for a model description/);
  });

  it('--weights: /dev/zero is a device, not "a text file"; a FIFO does not hang', async () => {
    await expect(readWeightsFile('/dev/zero')).rejects.toThrow(/zero is a character device \(like \/dev\/zero\), not a weights file/);
    await expect(readWeightsFile(fifo)).rejects.toThrow(/named pipe/);
    await expect(readWeightsFile(zeroLink)).rejects.toThrow(/character device/);
  });

  it('a run record that is a FIFO or a symlink to /dev/zero is reported as damaged; the other runs still list', async () => {
    const runs = join(dir, 'runs');
    mkdirSync(runs);
    execFileSync('mkfifo', [join(runs, 'runfifo1.json')]);
    symlinkSync('/dev/zero', join(runs, 'runzero1.json'));
    const store = new RunStore(runs);
    const list = await store.list();
    expect(list.runs).toEqual([]);
    const problems = list.problems.map((p) => p.message).join('\n');
    expect(problems).toMatch(/runfifo1\.json could not be read \(it is a named pipe/);
    expect(problems).toMatch(/runzero1\.json could not be read \(it is a character device/);
  });

  it('digits.json as a FIFO: the set starts empty with a problem, instead of hanging', async () => {
    const digits = join(dir, 'digits');
    mkdirSync(digits);
    execFileSync('mkfifo', [join(digits, 'digits.json')]);
    const store = new DigitStore(digits);
    const set = await store.list();
    expect(set.digits).toEqual([]);
    expect(set.problem).toMatch(/named pipe/);
  });

  it('classify: /dev/zero and a FIFO as images are refused per file; /dev/zero as --weights is named', async () => {
    const weights = join(dir, 'm.safetensors');
    const config = defaultConfig();
    writeFileSync(weights, encodeWeightsFile({ config, step: 0, testAccuracy: null, params: new SpecModel(config.model, new Rng(0)).stateDict() }));
    const cli = join(import.meta.dirname, '../../src/main/cli/classify.ts');
    const run = (...args: string[]) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', cli, ...args], { timeout: 240_000 }).then(
        ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
    const images = await run('--weights', weights, '/dev/zero', fifo, '--json');
    expect(images.code).toBe(1);
    const results = JSON.parse(images.stdout) as { file: string; error: string }[];
    expect(results.map((r) => r.error)).toEqual([expect.stringMatching(/character device/), expect.stringMatching(/named pipe/)]);
    const zero = await run('--weights', '/dev/zero', fifo);
    expect(zero.code).toBe(1);
    expect(zero.stderr).toMatch(/character device/);
    expect(zero.stderr).not.toMatch(/text file/);
  }, 150_000);
});
