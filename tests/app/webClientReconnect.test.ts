// The browser client when the web host goes away and comes back (e.g. restarted).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import WebSocket from 'ws';
import { createWebClient } from '../../src/renderer/api/webClient';
import { startWebServer } from '../../src/main/web/server';
import { waitFor } from './helpers';

test('a dropped connection rejects pending requests, reports it, and reconnects when the host is back', async () => {
  const root = mkdtempSync(join(tmpdir(), 'digitrain-reconnect-'));
  let server = await startWebServer({ port: 0, rootDir: root });
  const port = server.port;
  const client = createWebClient({ url: `ws://127.0.0.1:${port}/ws`, WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket });
  const connections: boolean[] = [];
  const off = client.on('connection', (c) => connections.push(c.connected));
  try {
    expect((await client.getState()).status).toBe('idle');
    // A request in flight when the host goes down: classify needs MNIST and a model, so it is still pending.
    const pending = client.classify(new Float32Array(784)).then(
      () => null,
      (error: Error) => error.message,
    );
    await server.close();
    expect(await pending).toMatch(/classify: the connection to the Digitrain host was lost/);
    await waitFor(() => connections.includes(false), 'the drop to be reported');

    server = await startWebServer({ port, rootDir: root });
    await waitFor(() => connections[connections.length - 1] === true && connections.length >= 3, 'the reconnection');
    // Connected, lost, connected again. (Each retry that finds no host yet says "lost" again: how many
    // there are depends on how long the host takes to come back, not on the client.)
    expect(connections.filter((c, i) => i === 0 || c !== connections[i - 1])).toEqual([true, false, true]);
    expect((await client.getState()).status).toBe('idle');
    off();
  } finally {
    client.close();
    await server.close();
  }
});
