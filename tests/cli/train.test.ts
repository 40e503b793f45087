import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSafetensors } from '../../src/engine/io/safetensors';
import { activeParallelPool } from '../../src/engine/parallel';
import { sliceMnist } from '../../src/engine/data/mnist';
import { defaultCliOptions, parseTrainArgs, UsageError } from '../../src/main/cli/args';
import { ProgressBar } from '../../src/main/cli/progress';
import { runTrainCommand } from '../../src/main/cli/trainCommand';
import { loadMnist } from '../../src/main/data/loadMnist';
import { decodeWeightsFile } from '../../src/main/weights/decode';

const run = promisify(execFile);

function capture(isTTY = false) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      stdout: { write: (text: string) => out.push(text) },
      stderr: { write: (text: string) => err.push(text), isTTY },
    },
  };
}

describe('train CLI arguments', () => {
  it('parses every flag, in both --flag value and --flag=value forms', () => {
    const parsed = parseTrainArgs([
      '--epochs', '0.5', '--batch-size=64', '--lr', '3e-4', '--optimizer', 'sgd', '--momentum', '0.8',
      '--hidden', '64', '--seed=7', '--out', 'w.safetensors', '--steps', '10', '--threads', '2',
    ]);
    expect(parsed).toEqual({
      kind: 'run',
      options: { epochs: 0.5, batchSize: 64, lr: 3e-4, optimizer: 'sgd', momentum: 0.8, hidden: 64, seed: 7, out: 'w.safetensors', steps: 10, threads: 2 },
    });
  });

  it('defaults to the reference recipe', () => {
    expect(parseTrainArgs([])).toEqual({ kind: 'run', options: defaultCliOptions() });
    expect(defaultCliOptions()).toMatchObject({ epochs: 1, batchSize: 32, lr: 1e-3, optimizer: 'adam', hidden: 128, seed: 0 });
    expect(parseTrainArgs(['--lr', '1', '-h'])).toEqual({ kind: 'help' });
  });

  it.each([
    [['--bogus', '1'], /unknown option --bogus/],
    [['stray'], /unexpected argument "stray"/],
    [['--epochs'], /--epochs needs a value/],
    [['--epochs', '--lr', '1'], /--epochs needs a value/],
    [['--lr', 'fast'], /--lr must be a number, got "fast"/],
    [['--lr', ''], /--lr must be a number/],
    [['--lr', '0x10'], /--lr must be a number/],
    [['--lr', '-0.1'], /--lr must be greater than 0/],
    [['--epochs', '0'], /--epochs must be greater than 0/],
    [['--batch-size', '2.5'], /--batch-size must be a positive integer/],
    [['--hidden', '-3'], /--hidden must be a positive integer/],
    [['--seed', '-1'], /--seed must be a non-negative integer/],
    [['--momentum', '1'], /--momentum must be in \[0, 1\)/],
    [['--optimizer', 'rmsprop'], /--optimizer must be adam or sgd, got "rmsprop"/],
    [['--lr', '1', '--lr', '2'], /--lr given twice/],
    [['--out', ''], /--out needs a file name/],
    [['--hidden', '5000'], /--hidden must be at most 4096/],
    [['--seed', '4294967296'], /--seed must be at most 4294967295/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseTrainArgs(argv)).toThrow(UsageError);
    expect(() => parseTrainArgs(argv)).toThrow(message);
  });
});

describe('train CLI progress', () => {
  it('writes plain lines when stderr is not a terminal', () => {
    const lines: string[] = [];
    let now = 0;
    const bar = new ProgressBar({ write: (t) => lines.push(t), isTTY: false }, 100, 32, () => now);
    for (let step = 1; step <= 100; step++) {
      now += 100; // 0.1 s per step: one plain line every 5 s, and the last step
      bar.update({ step, loss: 1, accuracy: 0.5 });
    }
    bar.finish();
    expect(lines.every((l) => l.endsWith('\n') && !l.includes('\r'))).toBe(true);
    expect(lines.length).toBe(3);
    expect(lines[lines.length - 1]).toMatch(/step 100\/100 {2}loss 1\.0000 {2}acc {2}50\.0% {2}320 samples\/s/);
  });

  it('redraws in place at most 10 times a second on a terminal', () => {
    const writes: string[] = [];
    let now = 0;
    const bar = new ProgressBar({ write: (t) => writes.push(t), isTTY: true, columns: 100 }, 1000, 32, () => now);
    for (let step = 1; step <= 1000; step++) {
      now += 1; // 1 ms per step: 1 s in all
      bar.update({ step, loss: 0.5, accuracy: 0.9 });
    }
    bar.log('epoch 1');
    bar.finish();
    const redraws = writes.filter((w) => w.startsWith('\r') && w.includes('step'));
    expect(redraws.length).toBeLessThanOrEqual(12);
    expect(redraws[0]).toMatch(/^\r\x1b\[2K\[#*\.*\] step/);
    expect(writes).toContain('epoch 1\n');
    expect(writes[writes.length - 1]).toBe('\n');
  });
});

describe('train CLI run', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'digitrain-train-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const smallData = () => {
    const { train, test } = loadMnist();
    return { train: sliceMnist(train, 0, 3000), test: sliceMnist(test, 0, 1000) };
  };

  it('trains, evaluates, writes a loadable weights file with metadata, and ends with a JSON line', async () => {
    const out = join(dir, 'model.safetensors');
    const { io, out: stdout, err } = capture();
    const code = await runTrainCommand(['--epochs', '1', '--batch-size', '50', '--hidden', '16', '--seed', '3', '--out', out], { ...io, loadData: smallData });
    expect(code).toBe(0);

    const lastLine = stdout.join('').trim().split('\n').pop()!;
    const summary = JSON.parse(lastLine) as Record<string, number>;
    expect(Object.keys(summary)).toEqual(['testAccuracy', 'steps', 'seconds', 'samplesPerSecond']);
    expect(summary.steps).toBe(60);
    expect(summary.testAccuracy).toBeGreaterThan(0.6);
    expect(summary.seconds).toBeGreaterThan(0);
    expect(summary.samplesPerSecond).toBeGreaterThan(0);
    expect(err.join('')).toMatch(/epoch 1\.00 \(step 60\): test accuracy \d+\.\d\d%/);

    const { tensors, metadata } = decodeSafetensors(new Uint8Array(await readFile(out)));
    expect([...tensors].map(([name, t]) => [name, t.dtype, t.shape])).toEqual([
      ['l1.weight', 'F32', [16, 784]],
      ['l1.bias', 'F32', [16]],
      ['l2.weight', 'F32', [10, 16]],
      ['l2.bias', 'F32', [10]],
    ]);
    expect(metadata.format).toBe('digitrain');
    expect(JSON.parse(metadata.architecture)).toEqual({ type: 'mlp', layers: [784, 16, 10] });
    expect(JSON.parse(metadata.hyperparameters)).toMatchObject({ hidden: 16, batchSize: 50, lr: 0.001, optimizer: 'adam', seed: 3 });
    expect(metadata.step).toBe('60');
    expect(Number(metadata.testAccuracy)).toBe(summary.testAccuracy);
    expect(Number.isNaN(Date.parse(metadata.date))).toBe(false);
    expect(await readdir(dir)).toEqual(['model.safetensors']); // no temporary file left behind

    // The app's loader takes the file as it is.
    const loaded = decodeWeightsFile(new Uint8Array(await readFile(out)));
    expect(loaded.hidden).toBe(16);
    expect(loaded.metadata.hyperparameters.evalEvery).toBe(60);
  });

  it('--steps runs exactly that many steps, with SGD', async () => {
    const out = join(dir, 'sgd.safetensors');
    const { io, out: stdout } = capture();
    const code = await runTrainCommand(['--steps', '7', '--optimizer', 'sgd', '--lr', '0.05', '--hidden', '8', '--out', out], { ...io, loadData: smallData });
    expect(code).toBe(0);
    expect(JSON.parse(stdout.join('').trim()).steps).toBe(7);
    expect(JSON.parse(decodeSafetensors(new Uint8Array(await readFile(out))).metadata.hyperparameters).optimizer).toBe('sgd');
  });

  it('--threads runs the matrix products on the worker pool and shuts it down afterwards', async () => {
    const out = join(dir, 'threads.safetensors');
    const { io, out: stdout, err } = capture();
    const code = await runTrainCommand(['--steps', '5', '--threads', '2', '--hidden', '8', '--out', out], { ...io, loadData: smallData });
    expect(code).toBe(0);
    expect(err.join('')).toMatch(/matrix products on 2 threads/);
    expect(JSON.parse(stdout.join('').trim()).steps).toBe(5);
    expect(activeParallelPool()).toBeNull();
  });

  it('an lr that diverges at once (1e30) is refused before training: exit code 2, nothing written', async () => {
    const out = join(dir, 'diverged.safetensors');
    const { io, err } = capture();
    const code = await runTrainCommand(['--steps', '30', '--optimizer', 'sgd', '--lr', '1e30', '--hidden', '8', '--out', out], { ...io, loadData: smallData });
    expect(code).toBe(2);
    expect(err.join('')).toMatch(/--lr must be at most 10, got 1e30/);
    await expect(readFile(out)).rejects.toThrow(/ENOENT/);
  });

  it('bad flags print the usage on stderr and exit with code 2 (as a real process)', async () => {
    const failure = await run('npx', ['tsx', 'src/main/cli/train.ts', '--optimizer', 'rmsprop'], { cwd: process.cwd() }).then(
      () => null,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failure).not.toBeNull();
    expect(failure!.code).toBe(2);
    expect(failure!.stderr).toMatch(/error: --optimizer must be adam or sgd/);
    expect(failure!.stderr).toMatch(/Usage: npm run train/);
    expect(failure!.stdout).toBe('');
  });
});
