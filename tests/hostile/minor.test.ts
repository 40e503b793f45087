// Issue 12, "minor, fix while there": security headers on refusals, and `classify --weights`
// given twice. (Queued work of a gone client: slowClients.test.ts; RLE BMPs and decoder
// internals in messages: imageBombs.test.ts.)
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, type WebServer } from '../../src/main/web/server';
import { CLASSIFY_CLI, runTsx } from './helpers';

describe('every reply of the web host carries the security headers', () => {
  let server: WebServer;
  beforeAll(async () => {
    server = await startWebServer({ port: 0, rootDir: '/nonexistent' });
  });
  afterAll(() => server.close());

  const expected = ['content-security-policy', 'x-content-type-options', 'referrer-policy', 'cross-origin-opener-policy'];

  function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown> }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: server.port, path, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it.each([
    ['421 for another Host', '/', { Host: 'evil.example' }, 421],
    ['404', '/missing.js', {}, 404],
    ['400 for a bad path', '/%E0%A4%A', {}, 400],
    ['503 before the UI is built', '/', {}, 503],
  ])('%s', async (_what, path, headers, status) => {
    const response = await get(path, headers);
    expect(response.status).toBe(status);
    for (const name of expected) expect(response.headers[name], name).toBeTruthy();
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('403 for a WebSocket upgrade from another origin', async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1', () => {
        socket.write(
          `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nOrigin: http://evil.example\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
        );
      });
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n/);
    const headers = raw.split('\r\n\r\n')[0].toLowerCase();
    for (const name of expected) expect(headers).toContain(`${name}: `);
  });
});

it('classify refuses --weights given twice instead of silently taking the last', async () => {
  const result = await runTsx(CLASSIFY_CLI, ['--weights', 'a.safetensors', '-w', 'b.safetensors', 'x.png']);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/^classify: --weights given twice \(a\.safetensors and b\.safetensors\)/);
  const withEquals = await runTsx(CLASSIFY_CLI, ['--weights=a.safetensors', '--weights=b.safetensors', 'x.png']);
  expect(withEquals.code).toBe(2);
  expect(withEquals.stderr).toMatch(/--weights given twice \(a\.safetensors and b\.safetensors\)/);
});
