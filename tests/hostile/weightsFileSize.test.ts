// Issue 12, item 8: the CLI read a weights file of any size: a 1 GB sparse file was read whole
// (1.1 GB RSS) before being refused. The size, and what the header says about it, are now
// checked before the bulk is read, with the same 64 MB limit as the web upload.
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeSafetensors } from '../../src/engine/io/safetensors';
import type { TrainingHost } from '../../src/main/training/trainingHost';
import { createDialogWeightsHandlers } from '../../src/main/weights/dialogWeights';
import { readWeightsFile } from '../../src/main/weights/readWeightsFile';
import { MAX_WEIGHTS_FILE_BYTES } from '../../src/shared/weightsFiles';
import { makeParams } from '../weights/helpers';
import { CLASSIFY_CLI, MB, runTsx } from './helpers';

let dir: string;
let good: Uint8Array;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'digitrain-weightsize-'));
  const params = makeParams(8);
  good = encodeSafetensors(new Map([...params].map(([n, p]) => [n, { dtype: 'F32' as const, shape: p.shape, data: p.data }])));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A sparse file of `size` bytes starting with `head`: it takes no disk space, but reading it costs `size` of memory. */
function sparse(name: string, head: Uint8Array, size: number): string {
  const path = join(dir, name);
  writeFileSync(path, head);
  const fd = openSync(path, 'r+');
  ftruncateSync(fd, size);
  closeSync(fd);
  return path;
}

describe('npm run classify', () => {
  it('refuses a 1 GB weights file from its size, without reading it', async () => {
    const path = sparse('huge.safetensors', good, 1 << 30);
    const image = join(dir, 'x.png');
    writeFileSync(image, 'never read');
    const result = await runTsx(CLASSIFY_CLI, ['--weights', path, image]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('classify: huge.safetensors is not a usable weights file: "huge.safetensors" is 1024.0 MB; weights files are at most 64 MB\n');
    console.log(`classify with a 1 GB weights file: peak RSS ${(result.peakRss! / MB).toFixed(0)} MB`);
    expect(result.peakRss!).toBeLessThan(300 * MB);
  });
});

describe('readWeightsFile (the CLI and Electron)', () => {
  it('reads a good file', async () => {
    const path = join(dir, 'good.safetensors');
    writeFileSync(path, good);
    expect(await readWeightsFile(path)).toEqual(good);
  });

  it("checks the header's claims against the size before reading the rest", async () => {
    // 60 MB under the limit, but the header describes a file of a few KB: not read.
    const padded = sparse('padded.safetensors', good, 60 * MB);
    await expect(readWeightsFile(padded)).rejects.toThrow(`not a valid safetensors file: its header describes a file of ${good.length} bytes but it has ${60 * MB} (extra bytes at the end)`);
    const truncated = join(dir, 'truncated.safetensors');
    writeFileSync(truncated, good.subarray(0, good.length - 100));
    await expect(readWeightsFile(truncated)).rejects.toThrow(/describes a file of \d+ bytes but it has \d+ \(truncated\)/);
    const lying = good.slice(0, 64);
    new DataView(lying.buffer).setBigUint64(0, 1n << 40n, true);
    const liar = join(dir, 'liar.safetensors');
    writeFileSync(liar, lying);
    await expect(readWeightsFile(liar)).rejects.toThrow(/header length 1099511627776 runs past the end of the file \(64 bytes\)/);
  });

  it("Electron's Load uses it: the worker never sees a file over the limit", async () => {
    const path = sparse('big.safetensors', good, MAX_WEIGHTS_FILE_BYTES + 1);
    const requests: string[] = [];
    const host = { request: async (type: string) => requests.push(type) } as unknown as TrainingHost;
    const handlers = createDialogWeightsHandlers(host, { chooseSavePath: async () => null, chooseOpenPath: async () => path });
    await expect(handlers.loadWeights()).rejects.toThrow(/"big.safetensors" is 64.0 MB; weights files are at most 64 MB/);
    expect(requests).toEqual([]);
  });
});
