// Before/after figure for issue 12 item 6: the web host's RSS (own process) while it receives a
// 50 MB and a 90 MB classify message. usage: tsx tests/hostile/measure/measureLarge.ts
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { CONTRACT_VERSION } from '../../../src/shared/contract';

const host = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(new URL('../fixtures/measuredHost.ts', import.meta.url))]);
const lines: string[] = [];
createInterface({ input: host.stdout }).on('line', (line) => lines.push(line));
const next = async () => {
  while (lines.length === 0) await new Promise((r) => setTimeout(r, 10));
  return JSON.parse(lines.shift()!);
};
const { port } = await next();
const memory = async () => {
  host.stdin.write('\n');
  const m = await next();
  return { rssMB: Math.round(m.rss / 1048576), peakMB: Math.round(m.peakRss / 1048576) };
};
const results: Record<string, unknown> = { tree: process.cwd(), baseline: await memory() };
for (const [label, count] of [
  ['50MB', 12_500_000],
  ['90MB', 22_500_000],
] as const) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  await new Promise((r) => ws.once('open', r));
  let outcome = 'no answer in 180 s';
  const done = new Promise<void>((resolve) => {
    ws.on('message', (data) => {
      const text = String(data);
      if (text.includes('"ok"')) {
        outcome = `reply: ${text.slice(0, 140)}`;
        resolve();
      }
    });
    ws.on('close', (code) => {
      outcome = `closed ${code}`;
      resolve();
    });
    ws.on('error', () => undefined);
    setTimeout(resolve, 180_000);
  });
  const started = Date.now();
  ws.send(`{"v":${CONTRACT_VERSION},"id":9,"method":"classify","args":[[${'0.5,'.repeat(count - 1)}0.5]]}`);
  await done;
  results[label] = { outcome, seconds: (Date.now() - started) / 1000, after: await memory() };
  ws.terminate();
}
console.log(JSON.stringify(results));
host.stdin.end();
host.kill();
process.exit(0);
