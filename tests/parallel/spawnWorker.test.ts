import { describe, expect, test } from 'vitest';
import { resolveWorkerScript, spawnWorker } from '../../src/engine/parallel/spawnWorker';

describe('spawnWorker', () => {
  test('runs a TypeScript worker from source when no compiled script exists', async () => {
    const worker = spawnWorker(new URL('./fixtures/echoWorker.js', import.meta.url), { workerData: { n: 41 } });
    const reply = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    expect(reply).toBe(42);
    await worker.terminate();
  });

  test('names the missing script', () => {
    expect(() => resolveWorkerScript(new URL('./fixtures/nope.js', import.meta.url))).toThrow(/worker script not found: .*nope\.js/);
  });
});
