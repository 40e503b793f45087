// Issue 12, item 4: huge but finite weights were accepted, then every prediction was NaN: the
// app showed test loss null, and `classify` printed `-1 (NaN%)` and exited 0 (`--json`:
// "predicted": -1, null probabilities).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeSafetensors } from '../../src/engine/io/safetensors';
import { loadMnist } from '../../src/main/data/loadMnist';
import { TrainingSession } from '../../src/main/training/session';
import { Trainer } from '../../src/main/training/trainer';
import { createWeightsCommands } from '../../src/main/weights/weightsCommands';
import { encodePng } from '../preprocess/encode';
import { mnistTestDigit, renderMnistOnPaper } from '../preprocess/images';
import { makeParams, mlpConfig } from '../weights/helpers';
import { CLASSIFY_CLI, runTsx } from './helpers';

/** A PyTorch-style file (no metadata) whose first layer is 3e37 everywhere: finite, and useless. */
function hugeWeightsFile(hidden = 16): Uint8Array {
  const params = makeParams(hidden);
  params.get('l1.weight')!.data.fill(3e37);
  return encodeSafetensors(new Map([...params].map(([name, p]) => [name, { dtype: 'F32' as const, shape: p.shape, data: p.data }])));
}

const mnist = loadMnist();
const data = { train: mnist.train, test: { ...mnist.test, count: 200, images: mnist.test.images.subarray(0, 200 * 784), labels: mnist.test.labels.subarray(0, 200) } };

describe('the app', () => {
  it('refuses to load weights whose forward pass is not finite, and changes nothing', () => {
    const session = new TrainingSession({ createTrainer: (c) => new Trainer(data, c), emit: () => undefined });
    session.reset(mlpConfig(16));
    const weights = createWeightsCommands(session);
    const probe = Float32Array.from({ length: 784 }, (_, i) => (i % 3) / 2);
    const before = { state: session.getState(), prediction: session.classify(probe) };
    expect(() => weights.loadWeightsFile('huge.safetensors', hugeWeightsFile())).toThrow(
      "the weights are finite but too large to compute with: the model's outputs for an image full of ink are not finite numbers (NaN or infinity), so every prediction would be meaningless",
    );
    expect(session.getState()).toEqual(before.state);
    expect(session.classify(probe)).toEqual(before.prediction);
  });

  it('never answers classify with NaN probabilities', async () => {
    const session = new TrainingSession({ createTrainer: (c) => new Trainer(data, c), emit: () => undefined });
    session.reset(mlpConfig(16));
    // Weights that went bad in memory (what a run with lr 1e30 left before the divergence check).
    (session.ensureTrainer() as Trainer).model.stateDict().get('l1.weight')!.data.fill(3e37);
    expect(() => session.classify(new Float32Array(784).fill(1))).toThrow("the model's output for this image is not a finite number (NaN or infinity): its weights are too large to compute with");
  });
});

describe('npm run classify', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'digitrain-huge-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits non-zero with a clear message instead of printing -1 (NaN%)', async () => {
    const weights = join(dir, 'huge.safetensors');
    writeFileSync(weights, hugeWeightsFile());
    const image = join(dir, 'seven.png');
    writeFileSync(image, encodePng(renderMnistOnPaper(mnistTestDigit(0).pixels, 3, 100, 100, 8, 8)));
    const result = await runTsx(CLASSIFY_CLI, ['--weights', weights, '--json', image]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/classify: huge\.safetensors is not a usable weights file: the weights are finite but too large to compute with/);
    expect(result.stderr).not.toMatch(/NaN%|-1/);
  });
});
