// Save / load / export through the web host and the renderer's own WebSocket client: the
// host produces bytes, the client "downloads" them; an upload travels back as bytes.
import { unzipSync } from 'fflate';
import { mlpSpec } from '../../src/shared/model/spec';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startWebServer, type WebServer } from '../../src/main/web/server';
import { decodeWeightsFile } from '../../src/main/weights/decode';
import { createWebClient, type WebClient, type WeightsFileTransfer } from '../../src/renderer/api/webClient';
import type { WeightsFileBytes } from '../../src/shared/contract';

describe('weights over the web host', () => {
  let server: WebServer;
  let root: string;
  const downloads: WeightsFileBytes[] = [];
  let nextPick: WeightsFileBytes | null = null;
  const files: WeightsFileTransfer = {
    download: (file) => downloads.push(file),
    pick: async () => nextPick,
  };
  let client: WebClient;
  const WebSocketImpl = WebSocket as unknown as typeof globalThis.WebSocket;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'digitrain-web-weights-'));
    server = await startWebServer({ port: 0, rootDir: root });
    client = createWebClient({ url: `ws://127.0.0.1:${server.port}/ws`, WebSocketImpl, files });
  });
  afterAll(async () => {
    client.close();
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('saves as a download, loads an upload, and reports bad files and cancels', async () => {
    await client.reset({ model: mlpSpec(10), seed: 5 });
    const saved = await client.saveWeights({ includeOptimizer: true });
    expect(saved).toEqual({ saved: true, name: 'digitrain-10h-step0-resume.safetensors' });
    expect(downloads).toHaveLength(1);
    expect(downloads[0].name).toBe(saved.name);
    expect(decodeWeightsFile(downloads[0].bytes).optimizer?.kind).toBe('adam');

    expect(await client.exportWeights('onnx')).toEqual({ saved: true, name: 'digitrain-10h-step0.onnx' });
    // The PyTorch export is one download: the zip of its folder (a browser cannot be handed a folder).
    expect(await client.exportWeights('pytorch')).toEqual({ saved: true, name: 'digitrain_10h_step0_pytorch.zip' });
    expect(downloads.map((d) => d.name).slice(2)).toEqual(['digitrain_10h_step0_pytorch.zip']);
    const zipped = unzipSync(downloads[2].bytes);
    expect(Object.keys(zipped).sort()).toEqual(['README.md', 'model.py', 'train.py', 'weights.safetensors'].map((f) => `digitrain_10h_step0_pytorch/${f}`));
    expect(new TextDecoder().decode(zipped['digitrain_10h_step0_pytorch/model.py'])).toContain('("l1", nn.Linear(784, 10, bias=True)),');

    await client.reset({ model: mlpSpec(30) });
    nextPick = null;
    expect(await client.loadWeights()).toEqual({ loaded: false, name: null, evaluation: null });

    nextPick = { name: 'notes.txt', bytes: new TextEncoder().encode('not weights') };
    await expect(client.loadWeights()).rejects.toThrow(/not a valid safetensors file/);
    expect((await client.getState()).config.model).toEqual(mlpSpec(30));

    nextPick = downloads[0];
    const loaded = await client.loadWeights();
    expect(loaded.loaded).toBe(true);
    expect(loaded.name).toBe('digitrain-10h-step0-resume.safetensors');
    expect(loaded.evaluation?.testAccuracy).toBeGreaterThanOrEqual(0);
    expect((await client.getState()).config.model).toEqual(mlpSpec(10));
  });

  it('validates uploads where they enter the host, and a client without file transfer says so', async () => {
    await expect(client.loadWeights({ name: 'x', bytes: new Uint8Array(0) })).rejects.toThrow(/loadWeights: "x" is empty/);
    await expect(client.loadWeights({ name: 7 as never, bytes: new Uint8Array(3) })).rejects.toThrow(/file name must be a string/);
    const bare = createWebClient({ url: `ws://127.0.0.1:${server.port}/ws`, WebSocketImpl });
    try {
      await expect(bare.saveWeights({ includeOptimizer: false })).rejects.toThrow(/file downloads and uploads are not available in this client/);
      await expect(bare.loadWeights()).rejects.toThrow(/file downloads and uploads are not available in this client/);
    } finally {
      bare.close();
    }
  });
});
