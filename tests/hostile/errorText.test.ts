// Issue 12, item 7: a metadata value that is a 5M-element array produced a 10 000 072-character
// error, sent over the socket and to stderr; 100 000-deep nesting in metadata or in a message
// gave only "Maximum call stack size exceeded".
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { encodeSafetensors } from '../../src/engine/io/safetensors';
import { decodeWeightsFile } from '../../src/main/weights/decode';
import { startWebServer, type WebServer } from '../../src/main/web/server';
import { CONTRACT_VERSION } from '../../src/shared/contract';
import { capMessage, messageOf } from '../../src/shared/messageOf';
import { decodeWire, encodeWire } from '../../src/shared/wire';
import { waitFor } from '../app/helpers';
import { makeParams } from '../weights/helpers';
import { CLASSIFY_CLI, runTsx } from './helpers';

/** A valid weights file whose header gets `extra` spliced into its __metadata__ (raw JSON text). */
function fileWithMetadata(extra: string): Uint8Array {
  const params = makeParams(4);
  const good = encodeSafetensors(new Map([...params].map(([n, p]) => [n, { dtype: 'F32' as const, shape: p.shape, data: p.data }])), { format: 'pt' });
  const length = Number(new DataView(good.buffer).getBigUint64(0, true));
  const header = new TextDecoder()
    .decode(good.subarray(8, 8 + length))
    .trimEnd()
    .replace('"__metadata__":{', `"__metadata__":{${extra},`);
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + good.length - 8 - length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(good.subarray(8 + length), 8 + json.length);
  return out;
}

const deep = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
const hugeArray = `[${'0,'.repeat(4_999_999)}0]`;

function failure(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('weights files', () => {
  it('a metadata value that is a 5M-element array: a short message that says what it is', () => {
    const error = failure(() => decodeWeightsFile(fileWithMetadata(`"notes":${hugeArray}`)));
    expect(error.message).toBe('not a valid safetensors file: __metadata__ "notes" must be a string, got an array of 5000000 items');
  });

  it('100 000 levels of nesting in metadata or in a tensor entry: a message, not a stack overflow', () => {
    expect(failure(() => decodeWeightsFile(fileWithMetadata(`"notes":${deep(100_000)}`))).message).toBe('not a valid safetensors file: __metadata__ "notes" must be a string, got an array of 1 item');
    const params = makeParams(4);
    const good = encodeSafetensors(new Map([...params].map(([n, p]) => [n, { dtype: 'F32' as const, shape: p.shape, data: p.data }])));
    const length = Number(new DataView(good.buffer).getBigUint64(0, true));
    const header = new TextDecoder().decode(good.subarray(8, 8 + length)).replace('"shape":[4,784]', `"shape":[${deep(100_000)},784]`);
    const json = new TextEncoder().encode(header);
    const bad = new Uint8Array(8 + json.length);
    new DataView(bad.buffer).setBigUint64(0, BigInt(json.length), true);
    bad.set(json, 8);
    expect(failure(() => decodeWeightsFile(bad)).message).toMatch(/shape\[0\] = an array of 1 item is not a non-negative integer/);
  });

  describe('through the CLI', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'digitrain-errortext-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('stderr gets one short line', async () => {
      const weights = join(dir, 'huge-metadata.safetensors');
      writeFileSync(weights, fileWithMetadata(`"notes":${hugeArray}`));
      const image = join(dir, 'x.png');
      writeFileSync(image, 'not read: the weights fail first');
      const result = await runTsx(CLASSIFY_CLI, ['--weights', weights, image]);
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr.length).toBeLessThan(500);
      expect(result.stderr).toMatch(/must be a string, got an array of 5000000 items/);
    });
  });
});

describe('every message is capped, and says how long it was', () => {
  it('capMessage / messageOf', () => {
    const long = 'x'.repeat(10_000_072);
    const capped = messageOf(new Error(long));
    expect(capped.length).toBeLessThanOrEqual(400);
    expect(capped).toMatch(/^x+ … \(cut: the message is 10,000,072 characters long\)$/);
    expect(capMessage('short')).toBe('short');
  });
});

describe('over the WebSocket', () => {
  let server: WebServer;
  let socket: WebSocket;
  const messages: Record<string, unknown>[] = [];
  beforeAll(async () => {
    server = await startWebServer({ port: 0, rootDir: '/nonexistent' });
    socket = new WebSocket(`ws://127.0.0.1:${server.port}/ws`);
    socket.on('message', (data, isBinary) => messages.push(decodeWire(isBinary ? (data as Buffer) : String(data)) as Record<string, unknown>));
    await new Promise((resolve) => socket.once('open', resolve));
  });
  afterAll(async () => {
    socket.close();
    await server.close();
  });

  it('deep nesting in a message: a reply that names the depth; 100 000 levels are refused by size first', async () => {
    // 3000 levels fit in a text request's size (32 KB), so the depth is what is refused.
    socket.send(`{"v":${CONTRACT_VERSION},"id":1,"method":"classify","args":${deep(3_000)}}`);
    socket.send(`{"v":${CONTRACT_VERSION},"id":1,"method":"reset","args":[${deep(100_000)}]}`);
    await waitFor(() => messages.filter((m) => 'ok' in m).length >= 2, 'two replies');
    const [first, second] = messages.filter((m) => 'ok' in m);
    expect(first).toMatchObject({ ok: false, error: 'the message nests arrays and objects 3001 levels deep; at most 32 are allowed' });
    // 200 KB of brackets is over every text request's size: refused before even the depth scan.
    expect(second).toMatchObject({ ok: false, error: expect.stringMatching(/^a text message of 195\.4 KB is larger than any request can be/) });
  });

  it('a weights upload whose metadata holds a 5M-element array: a short error reply', async () => {
    const bytes = fileWithMetadata(`"notes":${hugeArray}`);
    socket.send(encodeWire({ v: CONTRACT_VERSION, id: 7, method: 'loadWeights', args: [{ name: 'm.safetensors', bytes }] }));
    await waitFor(() => messages.some((m) => m.id === 7), 'the reply');
    const reply = messages.find((m) => m.id === 7)!;
    expect(reply.ok).toBe(false);
    expect(String(reply.error).length).toBeLessThan(500);
    expect(reply.error).toMatch(/__metadata__ "notes" must be a string, got an array of 5000000 items/);
  });
});
