import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSafetensors } from '../../src/engine/io/safetensors';
import { getMatmulBackend, matmulReference } from '../../src/engine/kernels/matmul';
import { sliceMnist } from '../../src/engine/data/mnist';
import { defaultCliOptions, parseTrainArgs, USAGE, UsageError } from '../../src/main/cli/args';
import { mlpSpec } from '../../src/shared/model/spec';
import { HYPERPARAMETERS } from '../../src/shared/optimizers';
import { KNOWN_OPTIMIZERS, UNKNOWN_OPTIMIZER } from '../shared/unknownOptimizer';
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
      '--epochs',
      '0.5',
      '--batch-size=64',
      '--lr',
      '3e-4',
      '--optimizer',
      'sgd',
      '--momentum',
      '0.8',
      '--hidden',
      '64',
      '--seed=7',
      '--out',
      'w.safetensors',
      '--steps',
      '10',
      '--threads',
      '2',
    ]);
    expect(parsed).toEqual({
      kind: 'run',
      options: {
        ...defaultCliOptions(),
        epochs: 0.5,
        batchSize: 64,
        hyper: { lr: 3e-4, momentum: 0.8 },
        optimizer: 'sgd',
        hidden: 64,
        arch: null,
        seed: 7,
        out: 'w.safetensors',
        steps: 10,
        threads: 2,
      },
    });
    expect(parseTrainArgs(['--arch', 'net.json'])).toMatchObject({ options: { arch: 'net.json', hidden: null } });
  });

  it('defaults to the reference recipe', () => {
    expect(parseTrainArgs([])).toEqual({ kind: 'run', options: defaultCliOptions() });
    expect(defaultCliOptions()).toMatchObject({ epochs: 1, batchSize: 32, hyper: {}, optimizer: 'adam', hidden: null, arch: null, seed: 0 });
    expect(parseTrainArgs(['--lr', '1', '-h'])).toEqual({ kind: 'help' });
  });

  it('the usage lists a flag for every hyperparameter of the optimizer registry', () => {
    for (const name of Object.keys(HYPERPARAMETERS)) expect(USAGE).toContain(`--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} X`);
  });

  it.each([
    [['--bogus', '1'], /unknown option --bogus$/],
    [['--epoch', '1'], /unknown option --epoch \(did you mean --epochs\?\)/],
    [['--hiden', '1'], /unknown option --hiden \(did you mean --hidden\?\)/],
    [['stray'], /unexpected argument "stray"/],
    [['--epochs'], /--epochs needs a value/],
    [['--epochs', '--lr', '1'], /--epochs needs a value/],
    [['--lr', 'fast'], /--lr must be a number, got "fast"/],
    [['--lr', ''], /--lr must be a number/],
    [['--lr', '0x10'], /--lr must be a number/],
    [['--lr', '-0.1'], /--lr must be from 1e-7 to 10 \(got -0.1\)/],
    [['--lr', '1e30'], /--lr must be from 1e-7 to 10 \(got 1e\+30\)/],
    [['--epochs', '0'], /--epochs must be from 0.01 to 1000/],
    [['--batch-size', '2.5'], /--batch-size must be an integer from 1 to 4096/],
    [['--hidden', '-3'], /--hidden must be from 1 to 4096/],
    [['--seed', '-1'], /--seed must be from 0 to 4294967295/],
    [['--optimizer', 'sgd', '--momentum', '1'], /--momentum must be from 0 to 0.999/],
    [['--momentum', '0.5'], /--momentum is not a setting of adam \(it takes --lr, --weight-decay\)/],
    [['--hidden', '64', '--arch', 'x.json'], /--hidden .* cannot be combined with --arch/],
    [['--optimizer', UNKNOWN_OPTIMIZER], new RegExp(`--optimizer must be one of ${KNOWN_OPTIMIZERS}, got "${UNKNOWN_OPTIMIZER}"`)],
    [['--optimizer', 'sgd', '--momentum', '0', '--nesterov', '1'], /Nesterov momentum needs momentum above 0/],
    [['--lr', '1', '--lr', '2'], /--lr given twice/],
    [['--out', ''], /--out needs a file name/],
    [['--hidden', '5000'], /--hidden must be from 1 to 4096 \(got 5000\)/],
    [['--seed', '4294967296'], /--seed must be from 0 to 4294967295/],
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
    // eslint-disable-next-line no-control-regex
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
    expect(JSON.parse(metadata.model)).toEqual(mlpSpec(16));
    expect(JSON.parse(metadata.hyperparameters)).toMatchObject({ batchSize: 50, optimizer: { type: 'adam', hyper: { lr: 0.001 } }, seed: 3 });
    expect(metadata.step).toBe('60');
    expect(Number(metadata.testAccuracy)).toBe(summary.testAccuracy);
    expect(Number.isNaN(Date.parse(metadata.date))).toBe(false);
    expect(await readdir(dir)).toEqual(['model.safetensors']); // no temporary file left behind

    // The app's loader takes the file as it is.
    const loaded = decodeWeightsFile(new Uint8Array(await readFile(out)));
    expect(loaded.spec).toEqual(mlpSpec(16));
    expect(loaded.metadata.settings.evalEvery).toBe(60);
  });

  it('--arch trains the model a spec file describes; a bad spec is a usage error naming the layer', async () => {
    const spec = join(dir, 'deep.json');
    await writeFile(
      spec,
      JSON.stringify({
        input: [784],
        layers: [
          { name: 'fc1', type: 'linear', out: 20 },
          { name: 'a', type: 'relu' },
          { name: 'fc2', type: 'linear', out: 10 },
        ],
      }),
    );
    const out = join(dir, 'deep.safetensors');
    const { io } = capture();
    expect(await runTrainCommand(['--arch', spec, '--steps', '3', '--out', out], { ...io, loadData: smallData })).toBe(0);
    const loaded = decodeWeightsFile(new Uint8Array(await readFile(out)));
    expect([...loaded.tensors.keys()]).toEqual(['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
    expect(loaded.spec.layers.map((l) => l.name)).toEqual(['fc1', 'a', 'fc2']);

    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ input: [784], layers: [{ name: 'fc1', type: 'linear', out: 20 }] }));
    for (const [file, message] of [
      [bad, /--arch .*bad.json: the model must end with 10 outputs, .*"fc1" \(linear\) gives \[20\]/],
      [join(dir, 'none.json'), /--arch .*none.json: no such file/],
      [out, /--arch .*deep.safetensors is not valid JSON/],
    ] as const) {
      const failed = capture();
      expect(await runTrainCommand(['--arch', file, '--steps', '3', '--out', join(dir, 'x.safetensors')], { ...failed.io, loadData: smallData })).toBe(2);
      expect(failed.err.join('')).toMatch(message);
    }
  });

  it('--steps runs exactly that many steps, with SGD', async () => {
    const out = join(dir, 'sgd.safetensors');
    const { io, out: stdout } = capture();
    const code = await runTrainCommand(['--steps', '7', '--optimizer', 'sgd', '--lr', '0.05', '--hidden', '8', '--out', out], { ...io, loadData: smallData });
    expect(code).toBe(0);
    expect(JSON.parse(stdout.join('').trim()).steps).toBe(7);
    expect(JSON.parse(decodeSafetensors(new Uint8Array(await readFile(out))).metadata.hyperparameters).optimizer).toEqual({
      type: 'sgd',
      hyper: { lr: 0.05, momentum: 0.9, nesterov: 0, weightDecay: 0 },
      schedule: { type: 'constant', hyper: {} },
    });
  });

  it('--threads runs the matrix products on the worker pool and shuts it down afterwards', async () => {
    const out = join(dir, 'threads.safetensors');
    const { io, out: stdout, err } = capture();
    const code = await runTrainCommand(['--steps', '5', '--threads', '2', '--hidden', '8', '--out', out], { ...io, loadData: smallData });
    expect(code).toBe(0);
    expect(err.join('')).toMatch(/matrix products on 2 threads/);
    expect(JSON.parse(stdout.join('').trim()).steps).toBe(5);
    expect(getMatmulBackend()).toBe(matmulReference); // the pool is shut down: the reference kernels are back
  });

  it('an lr that diverges at once (1e30) is refused before training: exit code 2, nothing written', async () => {
    const out = join(dir, 'diverged.safetensors');
    const { io, err } = capture();
    const code = await runTrainCommand(['--steps', '30', '--optimizer', 'sgd', '--lr', '1e30', '--hidden', '8', '--out', out], { ...io, loadData: smallData });
    expect(code).toBe(2);
    expect(err.join('')).toMatch(/--lr must be from 1e-7 to 10 \(got 1e\+30\)/);
    await expect(readFile(out)).rejects.toThrow(/ENOENT/);
  });

  it('bad flags print the usage on stderr and exit with code 2 (as a real process)', async () => {
    const failure = await run('npx', ['tsx', 'src/main/cli/train.ts', '--optimizer', UNKNOWN_OPTIMIZER], { cwd: process.cwd() }).then(
      () => null,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failure).not.toBeNull();
    expect(failure!.code).toBe(2);
    expect(failure!.stderr).toMatch(`error: --optimizer must be one of ${KNOWN_OPTIMIZERS}`);
    expect(failure!.stderr).toMatch(/Usage: npm run train/);
    expect(failure!.stdout).toBe('');
  });
});
