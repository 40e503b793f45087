// The classify CLI, run as a user runs it: a real process on real files.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MLP, Rng, Tensor, noGrad } from '../../src/engine';
import { SpecModel } from '../../src/main/model/specModel';
import { encodeWeightsFile } from '../../src/main/weights/encode';
import { defaultConfig } from '../../src/shared/contract';
import { DEEP_SPEC } from '../weights/helpers';
import { preprocessDigit } from '../../src/shared/images/preprocess';
import { encodeBmp, encodeJpeg, encodePng } from '../preprocess/encode';
import { mnistTestDigit, renderMnistOnPaper } from '../preprocess/images';
import { modelToSafetensors, trainQuickModel } from '../preprocess/quickModel';

const run = promisify(execFile);
const CLI = join(import.meta.dirname, '../../src/main/cli/classify.ts');

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function classify(...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', CLI, ...args], { timeout: 240_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function predict(model: MLP, pixels: Float32Array): number[] {
  return noGrad(() =>
    model
      .forward(Tensor.fromArray(pixels, [1, 784]))
      .softmax(-1)
      .toArray(),
  );
}

let dir: string;
let model: MLP;
let weights: string;
const DIGITS = [0, 1, 2]; // MNIST test images of a 7, a 2 and a 1

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'digitrain-classify-'));
  model = trainQuickModel();
  weights = join(dir, 'model.safetensors');
  writeFileSync(weights, modelToSafetensors(model));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeDigit(index: number, name: string, encode: typeof encodePng = encodePng): { path: string; label: number; expected: number[] } {
  const { pixels, label } = mnistTestDigit(index);
  const image = renderMnistOnPaper(pixels, 5, 200, 180, 30, 20);
  const path = join(dir, name);
  writeFileSync(path, encode(image));
  return { path, label, expected: predict(model, preprocessDigit(image)) };
}

describe('classify CLI', () => {
  it('prints one JSON result per image, matching the model and the labels', async () => {
    const files = DIGITS.map((index) => writeDigit(index, `digit${index}.png`));
    const result = await classify('--weights', weights, ...files.map((f) => f.path), '--json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as { file: string; predicted: number; probabilities: number[] }[];
    expect(parsed).toHaveLength(files.length);
    parsed.forEach((entry, i) => {
      expect(entry.file).toBe(files[i].path);
      expect(entry.probabilities).toHaveLength(10);
      expect(entry.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      entry.probabilities.forEach((p, d) => expect(p).toBeCloseTo(files[i].expected[d], 5));
      expect(entry.predicted).toBe(files[i].label);
    });
  });

  it('reads JPEG and BMP too, and prints text without --json', async () => {
    const jpeg = writeDigit(0, 'seven.jpg', (image) => encodeJpeg(image, 90));
    const bmp = writeDigit(1, 'two.bmp', (image) => encodeBmp(image));
    const result = await classify('-w', weights, jpeg.path, bmp.path);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${jpeg.path}: 7 (`);
    expect(result.stdout).toContain(`${bmp.path}: 2 (`);
    expect(result.stdout).toMatch(/0: \d\.\d{4} {2}1: \d\.\d{4}/);
  });

  it('reports a bad file on stderr, still classifies the others, and exits 1', async () => {
    const good = writeDigit(2, 'one.png');
    const text = join(dir, 'notes.png');
    writeFileSync(text, 'this is not an image');
    const empty = join(dir, 'empty.png');
    writeFileSync(empty, '');
    const result = await classify('--weights', weights, '--json', text, good.path, empty, join(dir, 'missing.png'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${text}: not a PNG, JPEG, WebP or BMP image`);
    expect(result.stderr).toContain(`${empty}: the file is empty`);
    expect(result.stderr).toContain('missing.png: no such file');
    const parsed = JSON.parse(result.stdout) as ({ predicted: number } | { error: string })[];
    expect(parsed).toHaveLength(4);
    expect(parsed[1]).toMatchObject({ file: good.path, predicted: 1 });
    expect(parsed[0]).toHaveProperty('error');
  });

  it('classifies with a model of any spec: the file says which layers it has', async () => {
    const spec = DEEP_SPEC;
    const deep = new SpecModel(spec, new Rng(9));
    const path = join(dir, 'deep.safetensors');
    writeFileSync(path, encodeWeightsFile({ params: deep.stateDict(), config: { ...defaultConfig(), model: spec }, step: 0, testAccuracy: null }));
    const digit = writeDigit(0, 'deep-seven.png');
    const result = await classify('--weights', path, digit.path, '--json');
    expect(result.code).toBe(0);
    const [answer] = JSON.parse(result.stdout) as { probabilities: number[] }[];
    const image = renderMnistOnPaper(mnistTestDigit(0).pixels, 5, 200, 180, 30, 20);
    const expected = noGrad(() =>
      deep
        .forward(Tensor.fromArray(preprocessDigit(image), [1, 784]))
        .softmax(-1)
        .toArray(),
    );
    answer.probabilities.forEach((p, i) => expect(p).toBeCloseTo(expected[i], 6));
  });

  it('refuses an unusable weights file with a clear message', async () => {
    const bad = join(dir, 'bad.safetensors');
    writeFileSync(bad, new Uint8Array([1, 2, 3]));
    const image = writeDigit(0, 'x.png');
    const result = await classify('--weights', bad, image.path);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/bad\.safetensors is not a usable weights file/);
  });

  it('exits 2 on usage errors', async () => {
    const missingWeights = await classify('digit.png');
    expect(missingWeights.code).toBe(2);
    expect(missingWeights.stderr).toContain('--weights FILE is required');
    expect((await classify('--weights', weights, '--frobnicate', 'a.png')).code).toBe(2);
    const help = await classify('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('usage: npm run classify');
  });
});
