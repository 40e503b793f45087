// Issue 13, bug 5: a file given to Load that is not safetensors is named for what it is (an
// image, an ONNX model, a PyTorch checkpoint, a text file), with what Load takes instead and,
// for PyTorch, how to convert it. Before, a PNG said "header length 7575175936672558958
// exceeds the limit of 104857600 bytes". The messages fit the 400 characters a reply keeps.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWeightsFile } from '../../src/main/weights/decode';
import { encodeOnnxExport } from '../../src/main/weights/encode';
import { LOAD_EXPECTS } from '../../src/main/weights/foreignFile';
import { WeightsFileError } from '../../src/main/weights/format';
import { readWeightsFile } from '../../src/main/weights/readWeightsFile';
import { MAX_MESSAGE_CHARS, messageOf } from '../../src/shared/messageOf';
import { mlpSpec } from '../../src/shared/model/spec';
import { encodeJpeg, encodePng } from '../preprocess/encode';
import { makeParams, mlpConfig } from './helpers';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
const text = (s: string) => new TextEncoder().encode(s);
const image = { width: 16, height: 16, data: new Uint8ClampedArray(16 * 16 * 4).fill(200) };

function refusal(bytes: Uint8Array): string {
  try {
    decodeWeightsFile(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(WeightsFileError);
    return (error as Error).message;
  }
  throw new Error('the file was accepted');
}

const cases: [string, () => Uint8Array, RegExp][] = [
  ['a PNG image', () => encodePng(image), /it is a PNG image\. To classify a picture of a digit, drop it on the window/],
  ['a JPEG image', () => encodeJpeg(image), /it is a JPEG image/],
  ["an ONNX model (PyTorch's export)", () => fixture('linear.onnx'), /it is an ONNX model\. Digitrain exports ONNX but does not load it/],
  ["an ONNX model (Digitrain's own export)", () => encodeOnnxExport(mlpSpec(8), makeParams(8), { config: mlpConfig(8), step: 0, testAccuracy: null }), /it is an ONNX model/],
  ['a PyTorch checkpoint (torch.save, zip)', () => fixture('linear.pt'), /it is a PyTorch checkpoint \(torch\.save.*save_file\(torch\.load\("model\.pt"\), "model\.safetensors"\)/],
  ['a PyTorch checkpoint (legacy pickle)', () => fixture('linear-legacy.pt'), /it is a Python pickle .*from safetensors\.torch import save_file/],
  ['a text file', () => text('definitely not a safetensors file'), /it is a text file beginning "definitely not a safetensors file"/],
  ['a model spec', () => text('{ "input": [784], "layers": [] }'), /it looks like a model spec \(JSON\), not weights: npm run train -- --arch FILE/],
];

describe('Load names a file that is not safetensors', () => {
  it.each(cases)('%s', (_what, bytes, message) => {
    const text = refusal(bytes());
    expect(text).toMatch(/^not a valid safetensors file: /);
    expect(text).toMatch(message);
    expect(text).not.toMatch(/header length/);
    // Whole after the reply's cap and the menu's prefix.
    expect(`Load failed: ${messageOf(new Error(text))}`).toBe(`Load failed: ${text}`);
    expect(text.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
  });

  it('says what Load takes for anything it cannot convert itself', () => {
    for (const [, bytes] of [cases[0], cases[2], cases[6]]) expect(refusal(bytes())).toContain(LOAD_EXPECTS);
  });

  it('a file of random bytes is "not a weights file", not a quoted header length (issue 25)', () => {
    const bytes = new Uint8Array(4096);
    let s = 7;
    for (let i = 0; i < bytes.length; i++) bytes[i] = s = (s * 1103515245 + 12345) & 0xff;
    new DataView(bytes.buffer).setBigUint64(0, 9512328969719703674n, true);
    const text = refusal(bytes);
    expect(text).toMatch(/^not a valid safetensors file: it is not a weights file/);
    expect(text).not.toMatch(/header length|9512328969719703674/);
    expect(text).toContain(LOAD_EXPECTS);
  });
});

describe('readWeightsFile (Electron, CLI) names it before reading the whole file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'digitrain-foreign-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(cases)('%s', async (_what, bytes, message) => {
    const path = join(dir, 'file.safetensors');
    await writeFile(path, bytes());
    const error = await readWeightsFile(path)
      .then(decodeWeightsFile)
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(WeightsFileError);
    expect((error as Error).message).toMatch(message);
  });
});
