// Issue 25: a run keeps its settings timeline (each change with the step it applied from, Restore
// best included) and is compared at its best; a run folder of format 1 (before the timeline) still
// reads; a reopened run trains on exactly as the uninterrupted run does.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sliceMnist } from '../../src/engine/data/mnist';
import { loadMnist } from '../../src/main/data/loadMnist';
import { RunStore } from '../../src/main/runs/runStore';
import { recordedRun } from '../../src/main/training/recordedRun';
import { TrainingSession, type RunCheckpoint } from '../../src/main/training/session';
import { Trainer, type TrainData } from '../../src/main/training/trainer';
import { decodeWeightsFile } from '../../src/main/weights/decode';
import { createWeightsCommands } from '../../src/main/weights/weightsCommands';
import { compareSettings } from '../../src/renderer/lib/runCompare';
import { defaultConfig, type EventMap, type Evaluation, type TrainConfig } from '../../src/shared/contract';
import { mlpSpec } from '../../src/shared/model/spec';
import { changeSteps, settingsAtBest, type RunSummary } from '../../src/shared/runs';

const FIXTURE = join(__dirname, 'fixtures', 'runs-format1');
const FIXTURE_ID = '8a0d27aefe804ccaad6f5daa28b0afec';

let data: TrainData | null = null;
function smallData(): TrainData {
  if (!data) {
    const { train, test } = loadMnist();
    data = { train: sliceMnist(train, 0, 2000), test: sliceMnist(test, 0, 300) };
  }
  return data;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const adam = (lr: number): TrainConfig['optimizer'] => ({ type: 'adam', hyper: { lr, weightDecay: 0 }, schedule: { type: 'constant', hyper: {} } });
const sgd = (lr: number): TrainConfig['optimizer'] => ({ type: 'sgd', hyper: { lr, momentum: 0, weightDecay: 0 }, schedule: { type: 'constant', hyper: {} } });

function makeSession(scriptedLosses?: number[]) {
  const checkpoints: { checkpoint: RunCheckpoint; bytes: Uint8Array }[] = [];
  const metrics: EventMap['metrics'][] = [];
  let evaluations = 0;
  const session = new TrainingSession({
    createTrainer: (c) => {
      const trainer = new Trainer(smallData(), c);
      if (scriptedLosses) {
        const real = trainer.evaluate.bind(trainer);
        trainer.evaluate = (): Evaluation => ({ ...real(), testLoss: scriptedLosses[Math.min(evaluations++, scriptedLosses.length - 1)] });
      }
      return trainer;
    },
    emit: (event, payload) => {
      if (event === 'metrics') metrics.push(payload as EventMap['metrics']);
    },
    // The weights file is made as the worker makes it, while the live tensors are those of the checkpoint.
    recordRun: (checkpoint) => checkpoints.push({ checkpoint: structuredClone({ ...checkpoint, weights: new Map() }), bytes: recordedRun(checkpoint).weights }),
  });
  return { session, checkpoints, metrics };
}

describe('the settings timeline', () => {
  it('records each change with the first step it applied to, and Restore best keeps the timeline up to the best step', () => {
    const { session, checkpoints } = makeSession([1.0, 2.0, 3.0]);
    session.reset({ model: mlpSpec(16), evalEvery: 5, optimizer: adam(0.001) });
    session.step({}, 5);
    session.step({ optimizer: sgd(0.1) }, 5);
    session.step({ optimizer: sgd(0.5), batchSize: 64 }, 5);
    const state = session.getState();
    expect(state.settings.map((e) => [e.step, e.config.optimizer.type, e.config.optimizer.hyper.lr, e.config.batchSize])).toEqual([
      [1, 'adam', 0.001, 32],
      [6, 'sgd', 0.1, 32],
      [11, 'sgd', 0.5, 64],
    ]);
    // The best test loss was at step 5 (Adam): Restore best records the run as it ended, then goes on from step 5.
    session.restoreBest();
    const ended = checkpoints.at(-1)!.checkpoint.run;
    expect(changeSteps({ settings: ended.settings })).toEqual([6, 11]);
    expect(session.getState().settings.map((e) => e.step)).toEqual([1]);
    session.step({}, 2);
    // It goes on with the settings in force now (SGD 0.5, batch 64), from step 6.
    expect(session.getState().settings.map((e) => [e.step, e.config.optimizer.type])).toEqual([
      [1, 'adam'],
      [6, 'sgd'],
    ]);
  });

  it('the list and Compare show the settings at the best test accuracy, not the ones a run ended with', () => {
    const base = { ...defaultConfig(), model: mlpSpec(16) };
    const diverged: Pick<RunSummary, 'settings' | 'bestStep' | 'config'> = {
      config: { ...base, optimizer: sgd(5) },
      settings: [
        { step: 1, config: { ...base, optimizer: adam(0.001) } },
        { step: 8747, config: { ...base, optimizer: sgd(5) } },
      ],
      bestStep: 8000,
    };
    const steady: Pick<RunSummary, 'settings' | 'bestStep' | 'config'> = {
      config: { ...base, optimizer: adam(0.001) },
      settings: [{ step: 1, config: { ...base, optimizer: adam(0.001) } }],
      bestStep: 9000,
    };
    expect(settingsAtBest(diverged).optimizer).toEqual(adam(0.001));
    expect(changeSteps(diverged)).toEqual([8747]);
    // Like with like: both were Adam 0.001 at their best.
    expect(compareSettings([diverged, steady])).toEqual([]);
    const later = { ...diverged, bestStep: 9000 };
    expect(compareSettings([later, steady]).map((r) => r.key)).toEqual(['optimizer', 'lr', 'momentum']);
  });
});

describe('a runs folder of format 1 (before the timeline)', () => {
  it('lists, reads and reopens its runs: one stretch of their settings, the best step found among their evaluations', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'digitrain-runs-format1-'));
    dirs.push(dir);
    cpSync(FIXTURE, dir, { recursive: true });
    const store = new RunStore(dir);
    const list = await store.list();
    expect(list.problems).toEqual([]);
    expect(list.runs).toHaveLength(1);
    const [run] = list.runs;
    expect(run).toMatchObject({ id: FIXTURE_ID, name: 'format 1 fixture', source: 'cli', step: 60, steps: 60, bestTestAccuracy: 0.4468, bestStep: 60, hasWeights: true });
    expect(run.settings).toEqual([{ step: 1, config: run.config }]);
    const [record] = await store.records([FIXTURE_ID]);
    expect(record.history.step).toHaveLength(60);
    expect(record.evaluations).toEqual([{ step: 60, testLoss: expect.any(Number), testAccuracy: 0.4468 }]);
    const { weights } = await store.files(FIXTURE_ID);
    const loaded = decodeWeightsFile(weights!);
    expect(loaded.metadata.step).toBe(60);
    expect(loaded.optimizer).toBeNull(); // format 1 kept no optimizer state: it reopens with a fresh one
    expect(loaded.metadata.random).toBeNull();
    // Written again (a rename), it is a format-2 record that reads the same.
    await store.rename(FIXTURE_ID, 'renamed');
    const again = new RunStore(dir);
    expect((await again.list()).runs[0]).toMatchObject({ name: 'renamed', bestStep: 60, settings: [{ step: 1, config: run.config }] });
  });
});

describe('reopening a kept run', () => {
  const config = { model: mlpSpec(16), evalEvery: 1_000_000, optimizer: adam(0.003) };

  it('trains on bit for bit as the run that never stopped: the optimizer state and the random stream are kept with it', () => {
    // The uninterrupted run: 30 steps, then 20 more.
    const reference = makeSession();
    reference.session.reset(config);
    reference.session.step({}, 30);
    reference.session.step({}, 20);
    const referenceLosses = reference.metrics.flatMap((m) => m.loss.map((loss, i) => ({ step: m.firstStep + i, loss }))).filter((p) => p.step > 30);
    const referenceWeights = new Map([...reference.session.ensureTrainer().weights()].map(([name, t]) => [name, Array.from(t.data)]));

    // The same run kept at step 30 (a Reset records it) and reopened in another session.
    const kept = makeSession();
    kept.session.reset(config);
    kept.session.step({}, 30);
    kept.session.reset(config);
    const { checkpoint, bytes } = kept.checkpoints.at(-1)!;
    expect(checkpoint.step).toBe(30);
    const decoded = decodeWeightsFile(bytes);
    expect(decoded.optimizer?.kind).toBe('adam');
    expect(decoded.metadata.random).not.toBeNull();

    const reopened = makeSession();
    createWeightsCommands(reopened.session).loadWeightsFile('run.safetensors', bytes, {
      name: 'Run 1',
      history: checkpoint.run.history,
      evaluations: checkpoint.run.evaluations,
      settings: checkpoint.run.settings,
    });
    // Drawn at once from what it stored: its curves up to step 30 and its settings.
    const state = reopened.session.getState();
    expect(state.history.step).toEqual(checkpoint.run.history.step);
    expect(state.settings).toEqual(checkpoint.run.settings);
    expect(state.lastEvaluation?.step).toBe(30);

    reopened.session.step({}, 20);
    const losses = reopened.metrics.flatMap((m) => m.loss.map((loss, i) => ({ step: m.firstStep + i, loss })));
    expect(losses).toEqual(referenceLosses);
    const weights = new Map([...reopened.session.ensureTrainer().weights()].map(([name, t]) => [name, Array.from(t.data)]));
    expect(weights).toEqual(referenceWeights);
  });
});
