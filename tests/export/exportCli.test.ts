// `npm run export` and `npm run evaluate`: the command lines, parsed strictly (exit code 2 with the
// reason), and the files a bad weights file cannot become (exit code 1, nothing written).
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEvaluateArgs, runEvaluateCommand } from '../../src/main/cli/evaluateCommand';
import { parseExportArgs, runExportCommand } from '../../src/main/cli/exportCommand';
import { UsageError } from '../../src/main/cli/usageError';
import { modelSlug, pytorchFolderName } from '../../src/main/model/pytorchFolder';
import { mlpSpec } from '../../src/shared/model/spec';
import { PRESET_NAMES, presetSpec } from '../../src/shared/model/presets';

const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) } } };
};

describe('npm run export: arguments', () => {
  it('takes a weights file with its outputs, or a run with its', () => {
    expect(parseExportArgs(['--weights', 'w.safetensors', '--pytorch', 'out', '--onnx=m.onnx'])).toMatchObject({ weights: 'w.safetensors', pytorch: 'out', onnx: 'm.onnx' });
    expect(parseExportArgs(['--run', 'abc123def', '--csv', 'r.csv', '--tensorboard', 'tb', '--runs-dir', 'runs'])).toMatchObject({
      run: 'abc123def',
      csv: 'r.csv',
      tensorboard: 'tb',
      runsDir: 'runs',
    });
    expect(parseExportArgs(['--help'])).toBe('help');
  });

  it.each([
    [[], /give --weights FILE .* or --run ID/],
    [['--weights', 'w.safetensors'], /say what to write: --pytorch DIR and\/or --onnx FILE/],
    [['--weights', 'w.safetensors', '--csv', 'x.csv'], /--csv and --tensorboard export a run/],
    [['--run', 'abc123def', '--onnx', 'x.onnx'], /--pytorch and --onnx export weights/],
    [['--run', '../etc', '--csv', 'x.csv'], /is not a run id/],
    [['--weights', 'a', '--weights', 'b', '--onnx', 'x'], /--weights given twice/],
    [['--weights', 'a', '--bogus'], /unknown option --bogus/],
    [['--weights'], /--weights needs a value/],
    [['--weights', 'a', '--run', 'abc123def'], /not both/],
  ])('%j is refused', (argv, message) => {
    expect(() => parseExportArgs(argv)).toThrow(UsageError);
    expect(() => parseExportArgs(argv)).toThrow(message);
  });
});

describe('npm run evaluate: arguments', () => {
  it('takes --weights and --images', () => {
    expect(parseEvaluateArgs(['-w', 'x.safetensors', '--images=100'])).toEqual({ weights: 'x.safetensors', images: 100 });
    expect(() => parseEvaluateArgs([])).toThrow(/--weights FILE is required/);
    expect(() => parseEvaluateArgs(['-w', 'x', '--images', '0'])).toThrow(/at least 1/);
    expect(() => parseEvaluateArgs(['-w', 'x', 'extra'])).toThrow(/unexpected argument/);
  });
});

describe('bad input', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'digitrain-export-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a file that is not weights: exit 1 with the reason, and no folder written', async () => {
    const bad = join(dir, 'notes.safetensors');
    await writeFile(bad, 'not weights at all');
    const run = capture();
    expect(await runExportCommand(['--weights', bad, '--pytorch', join(dir, 'out')], run.io)).toBe(1);
    expect(run.err.join('')).toMatch(/notes\.safetensors is not a usable weights file/);
    expect(await readdir(dir)).toEqual(['notes.safetensors']);
    const evaluated = capture();
    expect(await runEvaluateCommand(['--weights', join(dir, 'missing.safetensors')], evaluated.io)).toBe(1);
    expect(evaluated.err.join('')).toMatch(/no such file/);
    expect(await runExportCommand(['--run', 'abc123def'], capture().io)).toBe(2);
  });
});

describe('export names', () => {
  it('carry the preset when there is one, with no hyphens (Python module rules)', () => {
    for (const name of PRESET_NAMES) expect(modelSlug(presetSpec(name))).toBe(name.replaceAll('-', '_'));
    expect(modelSlug(mlpSpec(12))).toBe('12h');
    expect(pytorchFolderName(presetSpec('deep-mlp'), 300)).toBe('digitrain_deep_mlp_step300_pytorch');
    for (const name of PRESET_NAMES) expect(pytorchFolderName(presetSpec(name), 1)).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
  });
});
