import { getPriority } from 'node:os';
import { describe, expect, test } from 'vitest';
import { spawnWorker } from '../../src/engine/parallel/spawnWorker';
import { BACKGROUND_NICE, lowerThreadPriority, TRAINER_NICE_ENV, trainerNice } from '../../src/main/training/threadPriority';

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

describe('trainerNice (DIGITRAIN_TRAINER_NICE, for measuring the trade)', () => {
  test('unset or empty: below normal, not the lowest', () => {
    expect(trainerNice({})).toBe(BACKGROUND_NICE);
    expect(trainerNice({ [TRAINER_NICE_ENV]: '' })).toBe(BACKGROUND_NICE);
    expect(BACKGROUND_NICE).toBeGreaterThan(0);
    expect(BACKGROUND_NICE).toBeLessThan(19);
  });

  test('a whole number from 0 to 19 is taken; anything else is an error that names the variable', () => {
    expect(trainerNice({ [TRAINER_NICE_ENV]: '0' })).toBe(0);
    expect(trainerNice({ [TRAINER_NICE_ENV]: '19' })).toBe(19);
    for (const bad of ['20', '-1', '2.5', 'low']) expect(() => trainerNice({ [TRAINER_NICE_ENV]: bad })).toThrow(TRAINER_NICE_ENV);
  });
});
