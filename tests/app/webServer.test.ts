// The web host: the contract over a WebSocket (raw `ws` and the renderer's own client)
// and the static files of the built renderer, served from a temporary root.
import { mlpSpec } from '../../src/shared/model/spec';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { createWebClient } from '../../src/renderer/api/webClient';
import { CONTRACT_VERSION, type EventMap, type WeightsSnapshot } from '../../src/shared/contract';
import type { RpcEvent, RpcServerMessage } from '../../src/shared/rpc';
import { decodeWire, encodeWire, type WireData } from '../../src/shared/wire';
import { startWebServer, type WebServer } from '../../src/main/web/server';
import { waitFor } from './helpers';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    // http.request sends the path as given (no normalisation), as an attacker would.
    const req = httpRequest({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

class RawSocket {
  readonly messages: RpcServerMessage[] = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => this.messages.push(decodeWire(isBinary ? (data as Buffer) : String(data)) as RpcServerMessage));
  }

  static async open(url: string, options: WebSocket.ClientOptions = {}): Promise<RawSocket> {
    const ws = new WebSocket(url, options);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new RawSocket(ws);
  }

  async reply(id: number | null, send?: WireData): Promise<Extract<RpcServerMessage, { ok: boolean }>> {
    if (send !== undefined) this.ws.send(send);
    let found: Extract<RpcServerMessage, { ok: boolean }> | undefined;
    await waitFor(() => {
      found = this.messages.find((m): m is Extract<RpcServerMessage, { ok: boolean }> => 'ok' in m && m.id === id);
      return found !== undefined;
    }, `the reply to request ${id}`);
    this.messages.splice(this.messages.indexOf(found!), 1);
    return found!;
  }
}

describe('web host', () => {
  let root: string;
  let server: WebServer;
  let wsUrl: string;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'digitrain-web-'));
    root = join(dir, 'renderer');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Digitrain test page</title>');
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log("app");');
    writeFileSync(join(dir, 'secret.txt'), 'TOP SECRET');
    server = await startWebServer({ port: 0, rootDir: root });
    wsUrl = `ws://127.0.0.1:${server.port}/ws`;
  });

  afterAll(async () => {
    await server.close();
    rmSync(join(root, '..'), { recursive: true, force: true });
  });

  test('listens on 127.0.0.1 on the port it picked', () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
  });

  test('serves the renderer with a Content-Security-Policy', async () => {
    const index = await get(server.port, '/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('Digitrain test page');
    expect(index.headers['content-type']).toMatch(/text\/html/);
    const csp = String(index.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`ws://127.0.0.1:${server.port}`);
    expect(csp).toContain("object-src 'none'");
    const script = await get(server.port, '/assets/app.js?v=1');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/text\/javascript/);
    expect((await get(server.port, '/assets/missing.js')).status).toBe(404);
    expect((await get(server.port, '/assets')).status).toBe(404);
  });

  test.each(['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e%5csecret.txt', '/..\\secret.txt', '/%00', '/%E0%A4%A'])(
    'no path traversal: %s',
    async (path) => {
      const response = await get(server.port, path);
      expect(response.status).not.toBe(200);
      expect(response.body).not.toContain('TOP SECRET');
    },
  );

  test('refuses requests for other host names (DNS rebinding)', async () => {
    expect((await get(server.port, '/', { Host: 'evil.example' })).status).toBe(421);
  });

  test('getState over the WebSocket, versioned', async () => {
    const socket = await RawSocket.open(wsUrl);
    try {
      const reply = await socket.reply(1, encodeWire({ v: CONTRACT_VERSION, id: 1, method: 'getState', args: [] }));
      expect(reply.v).toBe(CONTRACT_VERSION);
      expect(reply.ok).toBe(true);
      expect(reply.ok && reply.result).toMatchObject({ version: CONTRACT_VERSION, status: 'idle' });
    } finally {
      socket.ws.close();
    }
  });

  test('bad requests get error replies and the connection stays usable', async () => {
    const socket = await RawSocket.open(wsUrl);
    try {
      const notJson = await socket.reply(null, '{not json');
      expect(notJson).toMatchObject({ ok: false, error: expect.stringMatching(/not valid JSON/) });
      const badLr = await socket.reply(2, encodeWire({ v: CONTRACT_VERSION, id: 2, method: 'train', args: [{ optimizer: { type: 'adam', hyper: { lr: -0.5 } } }] }));
      expect(badLr).toMatchObject({ ok: false, error: 'train: lr must be from 1e-7 to 10 (got -0.5)' });
      const pixels = await socket.reply(3, encodeWire({ v: CONTRACT_VERSION, id: 3, method: 'classify', args: [[1, 2]] }));
      expect(pixels).toMatchObject({ ok: false, error: expect.stringMatching(/pixels must be 784 numbers in \[0, 1\]/) });
      const unknown = await socket.reply(4, encodeWire({ v: CONTRACT_VERSION, id: 4, method: 'rm -rf', args: [] }));
      expect(unknown).toMatchObject({ ok: false, error: expect.stringMatching(/unknown request "rm -rf"/) });
      const version = await socket.reply(5, encodeWire({ v: 0, id: 5, method: 'getState', args: [] }));
      expect(version).toMatchObject({ ok: false, error: expect.stringMatching(/contract version mismatch/) });
      const noId = await socket.reply(null, encodeWire({ v: CONTRACT_VERSION, method: 'getState', args: [] }));
      expect(noId).toMatchObject({ ok: false, error: expect.stringMatching(/needs an integer id/) });
      const ok = await socket.reply(6, encodeWire({ v: CONTRACT_VERSION, id: 6, method: 'stop', args: [] }));
      expect(ok).toMatchObject({ ok: true, result: { status: 'idle' } });
      const garbage = await socket.reply(null, new Uint8Array([255, 255, 255, 255, 1]));
      expect(garbage).toMatchObject({ ok: false, error: expect.stringMatching(/header of \d+ bytes runs past the end/) });
    } finally {
      socket.ws.close();
    }
  });

  test('refuses WebSocket connections from other origins or paths', async () => {
    await expect(RawSocket.open(wsUrl, { origin: 'http://evil.example' })).rejects.toThrow(/403/);
    await expect(RawSocket.open(`ws://127.0.0.1:${server.port}/other`)).rejects.toThrow(/403/);
    const sameOrigin = await RawSocket.open(wsUrl, { origin: `http://127.0.0.1:${server.port}` });
    sameOrigin.ws.close();
  });

  test('weight snapshots: one in flight per client until acked, then the latest one', async () => {
    const socket = await RawSocket.open(wsUrl);
    const snapshots = () => socket.messages.filter((m): m is RpcEvent<'weights'> => 'event' in m && m.event === 'weights');
    try {
      for (const [id, hidden] of [
        [11, 5],
        [12, 6],
        [13, 7],
      ]) {
        const reply = await socket.reply(id, encodeWire({ v: CONTRACT_VERSION, id, method: 'reset', args: [{ model: mlpSpec(hidden) }] }));
        expect(reply.ok).toBe(true);
      }
      await waitFor(() => snapshots().length === 1, 'the first snapshot');
      expect(snapshots()[0].payload.tensors[0].shape).toEqual([5, 784]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(snapshots()).toHaveLength(1);
      socket.ws.send(encodeWire({ v: CONTRACT_VERSION, ack: 'weights' }));
      await waitFor(() => snapshots().length === 2, 'the held snapshot');
      expect(snapshots()[1].payload.tensors[0].shape).toEqual([7, 784]);
      expect(snapshots()[1].payload.tensors[0].data).toHaveLength(7 * 784);
    } finally {
      socket.ws.close();
    }
  });

  test("the renderer's web client: requests, errors, events with typed arrays, close", async () => {
    const client = createWebClient({ url: wsUrl, WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket });
    const statuses: EventMap['status'][] = [];
    const snapshots: WeightsSnapshot[] = [];
    const connections: boolean[] = [];
    client.on('status', (s) => statuses.push(s));
    client.on('weights', (w) => snapshots.push(w));
    client.on('connection', (c) => connections.push(c.connected));
    try {
      expect((await client.getState()).status).toBe('idle');
      expect(connections).toEqual([true]);
      await expect(client.train({ batchSize: 0 })).rejects.toThrow('train: batchSize must be from 1 to 4096 (got 0)');
      await expect(client.saveWeights({ includeOptimizer: false })).rejects.toThrow(/not available/);
      const reset = await client.reset({ model: mlpSpec(12) });
      expect(reset.config.model).toEqual(mlpSpec(12));
      await waitFor(() => snapshots.length > 0 && statuses.length > 0, 'status and weights events');
      expect(statuses[statuses.length - 1]).toMatchObject({ status: 'idle', config: { model: mlpSpec(12) } });
      expect(snapshots[0].tensors[0].data).toBeInstanceOf(Float32Array);
      expect(snapshots[0].tensors[0].data).toHaveLength(12 * 784);
      const classification = await client.classify(new Float32Array(784).fill(0.1));
      expect(classification.activations[0].data).toHaveLength(12);
      expect(classification.activations[0].data).toBeInstanceOf(Float32Array);
    } finally {
      client.close();
    }
    await expect(client.getState()).rejects.toThrow(/connection was closed/);
  });
});

test('a taken port is a clear error that leaves nothing running', async () => {
  const first = await startWebServer({ port: 0, rootDir: tmpdir() });
  try {
    await expect(startWebServer({ port: first.port, rootDir: tmpdir() })).rejects.toThrow(/EADDRINUSE/);
  } finally {
    await first.close();
  }
});

test('without a built renderer, the page says how to build it', async () => {
  const server = await startWebServer({ port: 0, rootDir: join(tmpdir(), 'digitrain-no-such-dir') });
  try {
    const response = await get(server.port, '/');
    expect(response.status).toBe(503);
    expect(response.body).toMatch(/npm run web/);
  } finally {
    await server.close();
  }
});
