// npm run bench -- --ood [--ood-image FILE]... [--steps N]
//
// Measures the out-of-distribution check (shared/insight/outOfDistribution.ts) as the app runs it: for the
// mlp and cnn presets trained N steps (default two epochs at batch 32), the share of the MNIST test digits it
// flags, and the share of each kind of non-digit (bench/nonDigits.ts: drawn lines, stars, scribbles, dots,
// crossed circles, squares; letters rendered in three fonts; and any photos or screenshots given with
// --ood-image). A measurement, not a test: tests/insight/outOfDistribution.test.ts checks a few fixed cases.
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { loadMnist } from '../src/main/data/loadMnist';
import { Trainer } from '../src/main/training/trainer';
import { presetSpec } from '../src/shared/model/presets';
import { OPTIMIZERS } from '../src/shared/optimizers';
import { SCHEDULES } from '../src/shared/schedules';
import type { TrainConfig } from '../src/shared/contract';
import { MNIST_PIXELS } from '../src/shared/mnist';
import { inputDoubt, UNFAMILIAR_COSINE_DISTANCE, UNFAMILIAR_DISTANCE, UNSURE_PROBABILITY } from '../src/shared/insight/outOfDistribution';
import { CANVAS, drawnNonDigits, prepare } from './nonDigits';

/** Letters that are not shaped like a digit in any common hand (no O, I, l, S, Z, B, G, b, g, q). */
const LETTERS = [...'ACDEFHJKLMNPRTUVWXYacdefhkmnprtuvwxy'];
const FONTS = ['DejaVu Sans', 'DejaVu Serif', 'DejaVu Sans Mono'];

async function renderLetters(): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (const font of FONTS) {
    for (const letter of LETTERS) {
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${CANVAS}" height="${CANVAS}"><rect width="100%" height="100%" fill="white"/><text x="140" y="200" font-family="${font}" font-size="200" text-anchor="middle" fill="black">${letter}</text></svg>`;
      const { data, info } = await sharp(Buffer.from(svg)).greyscale().raw().toBuffer({ resolveWithObject: true });
      out.push(prepare(new Uint8Array(data), info.width, info.height));
    }
  }
  return out;
}

async function loadImages(files: string[]): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (const file of files) {
    const { data, info } = await sharp(readFileSync(file)).greyscale().resize({ width: 400, height: 400, fit: 'inside' }).raw().toBuffer({ resolveWithObject: true });
    out.push(prepare(new Uint8Array(data), info.width, info.height));
  }
  return out;
}

export interface OodRow {
  preset: string;
  testAccuracy: number;
  testFlagged: number;
  nonDigitsFlagged: number;
  [kind: string]: number | string;
}

export async function benchOutOfDistribution(images: string[], steps: number): Promise<OodRow[]> {
  console.log(`thresholds: distance ${UNFAMILIAR_DISTANCE}, cosine distance ${UNFAMILIAR_COSINE_DISTANCE}, largest probability ${UNSURE_PROBABILITY}`);
  const data = loadMnist();
  const groups: Record<string, Float32Array[]> = { letter: await renderLetters() };
  if (images.length > 0) groups.photo = await loadImages(images);
  for (const d of drawnNonDigits(60, 7)) (groups[d.kind] ??= []).push(d.pixels);
  const rows: OodRow[] = [];
  for (const preset of ['mlp', 'cnn'] as const) {
    const config: TrainConfig = {
      model: presetSpec(preset),
      optimizer: { type: 'adam', hyper: { ...OPTIMIZERS.adam.defaults }, schedule: { type: 'constant', hyper: { ...SCHEDULES.constant.defaults } } },
      batchSize: 32,
      epochs: null,
      seed: 0,
      evalEvery: 1000,
      labelSmoothing: 0,
      earlyStopping: null,
      mixMyDigits: null,
    };
    const trainer = new Trainer(data, config);
    for (let s = 0; s < steps; s++) trainer.trainStep();
    const testAccuracy = trainer.evaluate().testAccuracy;
    const flagged = (pixels: Float32Array) => inputDoubt(pixels, trainer.classify(pixels)) !== null;
    let testFlagged = 0;
    for (let i = 0; i < data.test.count; i++) {
      const pixels = Float32Array.from(data.test.images.subarray(i * MNIST_PIXELS, (i + 1) * MNIST_PIXELS), (v) => v / 255);
      if (flagged(pixels)) testFlagged++;
    }
    const row: OodRow = { preset, testAccuracy, testFlagged: testFlagged / data.test.count, nonDigitsFlagged: 0 };
    let all = 0;
    let hits = 0;
    for (const [kind, items] of Object.entries(groups)) {
      const n = items.filter(flagged).length;
      row[kind] = n / items.length;
      all += items.length;
      hits += n;
    }
    row.nonDigitsFlagged = hits / all;
    rows.push(row);
  }
  return rows;
}
