// Before/after figure for issue 12 item 5: the server-side bufferedAmount of a client that stops
// reading. Works on any tree with startWebServer and TrainingHost({ workerUrl }).
// usage: tsx tests/hostile/measure/measureSlow.ts flood|real [seconds]
import WebSocket from 'ws';
import { startWebServer } from '../../../src/main/web/server';
import { TrainingHost } from '../../../src/main/training/trainingHost';
import { CONTRACT_VERSION } from '../../../src/shared/contract';
import { encodeWire } from '../../../src/shared/wire';

const [mode = 'flood', secondsArg] = process.argv.slice(2);
const seconds = Number(secondsArg ?? (mode === 'flood' ? 3 : 30));
// Server-side sockets, found by ws's own flag; the largest bufferedAmount each reached after a send.
const peak = new Map<WebSocket, number>();
const send = WebSocket.prototype.send;
WebSocket.prototype.send = function (this: WebSocket & { _isServer?: boolean }, ...args: Parameters<WebSocket['send']>) {
  send.apply(this, args);
  if (this._isServer) peak.set(this, Math.max(peak.get(this) ?? 0, this.bufferedAmount));
} as WebSocket['send'];

process.env.FLOOD_WORKER_SETTINGS = JSON.stringify({ stepsPerEvent: 2000, intervalMs: 4 });
const host = mode === 'flood' ? new TrainingHost({ workerUrl: new URL('../fixtures/floodWorker.js', import.meta.url) }) : new TrainingHost();
const server = await startWebServer({ port: 0, rootDir: '/nonexistent', trainingHost: host });
const open = async () => {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`);
  await new Promise((resolve) => ws.once('open', resolve));
  return ws;
};
const reader = await open();
let replies = 0;
reader.on('message', () => replies++);
const paused = await open();
paused.pause();
const serverSockets = () => [...peak.keys()];
const call = async (method: string, args: unknown[]) => {
  const before = replies;
  reader.send(encodeWire({ v: CONTRACT_VERSION, id: Math.floor(Math.random() * 1e9), method, args }));
  while (replies === before) await new Promise((r) => setTimeout(r, 5));
};
if (mode === 'real') await call('reset', [{ evalEvery: 100 }]);
await call('train', [{}]);
const samples: string[] = [];
const started = Date.now();
while (Date.now() - started < seconds * 1000) {
  await new Promise((r) => setTimeout(r, 1000));
  const buffered = serverSockets().map((s) => s.bufferedAmount);
  samples.push(`${Math.round((Date.now() - started) / 1000)}s:${(Math.max(...buffered) / 1048576).toFixed(2)}`);
}
await call('stop', []);
const maxPeak = Math.max(...peak.values());
console.log(JSON.stringify({ tree: process.cwd(), mode, seconds, peakBufferedMB: +(maxPeak / 1048576).toFixed(2), samplesMB: samples.join(' ') }));
reader.terminate();
paused.terminate();
await server.close();
process.exit(0);
