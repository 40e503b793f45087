import { getPriority } from 'node:os';
import { describe, expect, test } from 'vitest';
import { spawnWorker } from '../../src/engine/parallel/spawnWorker';
import { BACKGROUND_NICE, lowerThreadPriority } from '../../src/main/training/threadPriority';

interface Report {
  nice: number | null;
  own: number;
  child: number;
}

function runPriorityWorker(nice: number): Promise<Report> {
  const worker = spawnWorker(new URL('./fixtures/priorityWorker.js', import.meta.url), { workerData: { nice } });
  return new Promise<Report>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  }).finally(() => void worker.terminate());
}

describe('lowerThreadPriority', () => {
  test.runIf(process.platform === 'linux')('lowers only the calling thread, and the threads it starts afterwards inherit it', async () => {
    const mainBefore = getPriority();
    const target = Math.min(19, Math.max(mainBefore + 1, BACKGROUND_NICE));
    const report = await runPriorityWorker(target);
    expect(report).toEqual({ nice: target, own: target, child: target });
    // The main thread (the host answering the window) keeps its priority.
    expect(getPriority()).toBe(mainBefore);
  });

  test('does nothing where threads have no priority of their own', () => {
    const before = getPriority();
    expect(lowerThreadPriority(19, 'darwin')).toBeNull();
    expect(lowerThreadPriority(19, 'win32')).toBeNull();
    expect(getPriority()).toBe(before);
  });
});
