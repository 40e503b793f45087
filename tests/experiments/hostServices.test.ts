// Runs and the learner's digits through a real training worker and the host-side services both
// hosts use (runs/runHandlers.ts, digits/digitHandlers.ts): a run is recorded by the worker and
// kept by the host, reopening its weights gives its recorded test accuracy, and the learner's
// digits reach the worker (a worker started later gets them first), measured with each evaluation.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMyDigitsService } from '../../src/main/digits/digitHandlers';
import { DigitStore } from '../../src/main/digits/digitStore';
import { createRunService, type RunService } from '../../src/main/runs/runHandlers';
import { RunStore } from '../../src/main/runs/runStore';
import { createRequestHandlers, type RequestHandlers } from '../../src/main/training/requestHandlers';
import { TrainingHost } from '../../src/main/training/trainingHost';
import type { RunSummary } from '../../src/shared/runs';
import type { ProducedFile } from '../../src/shared/weightsFiles';
import { MNIST_PIXELS } from '../../src/shared/mnist';
import { mlpSpec } from '../../src/shared/model/spec';
import { waitFor } from '../app/helpers';

const SMALL = { model: mlpSpec(16), batchSize: 16, evalEvery: 1_000_000, seed: 2, epochs: null };

let dir: string;
let host: TrainingHost;
let runs: RunService;
let api: RequestHandlers;
const saved: RunSummary[] = [];
/** What the runs service handed the host to save. */
const files: ProducedFile[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'digitrain-services-'));
  host = new TrainingHost();
  host.on('runSaved', (summary) => saved.push(summary));
  runs = createRunService(host, new RunStore(join(dir, 'runs')), async (file) => {
    files.push(file);
    return { saved: true, name: file.name };
  });
  const digits = createMyDigitsService(host, new DigitStore(join(dir, 'digits')), async () => join(dir, 'exports'));
  api = createRequestHandlers(host, {}, { ...runs.handlers, ...digits.handlers });
});

afterAll(async () => {
  await host.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('runs through the worker and the host', () => {
  it('two runs with different learning rates are kept; reopening one gives its recorded test accuracy and its settings', async () => {
    await api.reset({ ...SMALL, optimizer: { type: 'adam', hyper: { lr: 1e-3 } } });
    await api.step({}, 30);
    // Reset ends the run: it is evaluated and kept.
    await api.reset({ ...SMALL, optimizer: { type: 'adam', hyper: { lr: 0.01 } } });
    await api.step({}, 20);
    await api.reset(SMALL);
    await waitFor(() => saved.length >= 2, 'both runs to be kept');
    await runs.idle();
    const list = await api.listRuns();
    expect(list.runs.map((r) => [r.config.optimizer.hyper.lr, r.steps])).toEqual([
      [0.01, 20],
      [1e-3, 30],
    ]);
    const [fast, slow] = list.runs;
    expect(fast.finalTestAccuracy).not.toBeNull();
    const opened = await api.openRun(slow.id);
    expect(opened).toMatchObject({ loaded: true, name: slow.name });
    expect(opened.evaluation?.testAccuracy).toBe(slow.finalTestAccuracy);
    const state = await api.getState();
    expect(state.step).toBe(30);
    expect(state.config.optimizer.hyper.lr).toBe(1e-3);

    const records = await api.getRuns([fast.id, slow.id]);
    expect(records.map((r) => r.history.step.length)).toEqual([20, 30]);
    const exported = await api.exportRun(fast.id);
    expect(exported).toMatchObject({ saved: true, name: `digitrain-run-${fast.name.replace(/ /g, '-')}.json` });
    // For other tools: CSV (a header, then 20 training rows and the run's evaluations) and a TensorBoard event file.
    expect(await api.exportRun(fast.id, 'csv')).toMatchObject({ saved: true, name: `digitrain-run-${fast.name.replace(/ /g, '-')}.csv` });
    const csv = new TextDecoder().decode(files.at(-1)!.bytes).trimEnd().split('\n');
    expect(csv[0]).toBe('step,epoch,time,train_loss,train_accuracy,lr,test_loss,test_accuracy');
    expect(csv.length - 1).toBe(20 + records[0].evaluations.length);
    expect((await api.exportRun(fast.id, 'tensorboard')).name).toMatch(/^events\.out\.tfevents\.\d+\.digitrain$/);
    expect(files.at(-1)!.bytes.length).toBeGreaterThan(20 * 16);
  });
});

describe('my digits through the worker and the host', () => {
  it('are kept, measured on request and with each evaluation, and can be mixed into training', async () => {
    const pixels = new Uint8Array(3 * MNIST_PIXELS).fill(0);
    pixels.fill(255, 300, 500);
    const set = await api.addMyDigits({ labels: [1, 7, 4], pixels });
    expect(set.digits.map((d) => d.label)).toEqual([1, 7, 4]);
    const result = await api.evaluateMyDigits();
    expect(result).toMatchObject({ ids: set.digits.map((d) => d.id) });
    expect((await api.evaluate()).myDigits).toEqual(result);
    const mixed = await api.step({ mixMyDigits: 0.5 }, 5);
    expect(mixed.config.mixMyDigits).toBe(0.5);
    expect((await api.evaluateMyDigits())?.step).toBe(mixed.step);
    const after = await api.deleteMyDigit(set.digits[0].id);
    expect((await api.evaluateMyDigits())?.ids).toEqual(after.digits.map((d) => d.id));
  });
});

describe('a worker started later gets the digits first', () => {
  it('sends the set to a fresh worker before the command that started it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'digitrain-services2-'));
    const store = new DigitStore(join(dataDir, 'digits'));
    const pixels = new Uint8Array(2 * MNIST_PIXELS).fill(9);
    await store.add({ labels: [2, 3], pixels });
    const fresh = new TrainingHost();
    const digits = createMyDigitsService(fresh, new DigitStore(join(dataDir, 'digits')), async () => null);
    const handlers = createRequestHandlers(fresh, {}, digits.handlers);
    try {
      await handlers.listMyDigits(); // loaded from disk; no worker yet
      expect(fresh.isRunning).toBe(false);
      await handlers.reset({ ...SMALL });
      expect((await handlers.evaluateMyDigits())?.predicted).toHaveLength(2);
    } finally {
      await fresh.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
