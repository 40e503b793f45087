// `npm run train -- --record`: a CLI run kept in the runs folder as the app keeps its own, with
// its schedule and label smoothing, so the app lists it, compares it and reopens its weights.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sliceMnist } from '../../src/engine/data/mnist';
import { parseTrainArgs, USAGE } from '../../src/main/cli/args';
import { runTrainCommand } from '../../src/main/cli/trainCommand';
import { loadMnist } from '../../src/main/data/loadMnist';
import { RunStore } from '../../src/main/runs/runStore';
import { decodeWeightsFile } from '../../src/main/weights/decode';

const smallData = () => {
  const { train, test } = loadMnist();
  return { train: sliceMnist(train, 0, 1000), test: sliceMnist(test, 0, 200) };
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'digitrain-cli-record-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t), isTTY: false } } };
}

describe('train --record', () => {
  it('keeps the run in the runs folder: its settings and schedule, curves, evaluation and weights', async () => {
    const runsDir = join(dir, 'runs');
    const { io, out, err } = capture();
    const argv = [
      '--steps',
      '40',
      '--hidden',
      '8',
      '--schedule',
      'cosine',
      '--schedule-steps',
      '40',
      '--label-smoothing',
      '0.1',
      '--record',
      '--runs-dir',
      runsDir,
      '--name',
      'cosine from the CLI',
      '--out',
      join(dir, 'cli.safetensors'),
    ];
    expect(await runTrainCommand(argv, { ...io, loadData: smallData })).toBe(0);
    const summary = JSON.parse(out.join('').trim());
    expect(summary.run).toEqual({ id: expect.stringMatching(/^[a-z0-9]+$/), name: 'cosine from the CLI' });
    expect(err.join('')).toMatch(/cosine schedule \(scheduleSteps 40, minLrFactor 0\), label smoothing 0\.1/);
    expect(err.join('')).toContain(`recorded the run as "cosine from the CLI" in ${runsDir}`);

    const store = new RunStore(runsDir);
    const list = await store.list();
    expect(list.runs).toHaveLength(1);
    expect(list.runs[0]).toMatchObject({ source: 'cli', name: 'cosine from the CLI', step: 40, steps: 40, hasWeights: true, finalTestAccuracy: summary.testAccuracy });
    const [record] = await store.records([summary.run.id]);
    expect(record.config.optimizer.schedule).toEqual({ type: 'cosine', hyper: { scheduleSteps: 40, minLrFactor: 0 } });
    expect(record.config.labelSmoothing).toBe(0.1);
    expect(record.history.step).toHaveLength(40);
    // At the end of the epoch (1000 images: step 32) and at the last step.
    expect(record.evaluations).toEqual([
      { step: 32, testLoss: expect.any(Number), testAccuracy: expect.any(Number) },
      { step: 40, testLoss: expect.any(Number), testAccuracy: summary.testAccuracy },
    ]);
    const { weights } = await store.files(summary.run.id);
    expect(decodeWeightsFile(weights!).metadata.step).toBe(40);
  });

  it('takes --schedule and its settings from the registry, and refuses what does not fit', () => {
    expect(USAGE).toMatch(/--schedule NAME +learning-rate schedule: constant \| step \| cosine \| warmup-cosine/);
    expect(USAGE).toMatch(/--warmup-steps X +warm-up \(steps\) \(default: warmup-cosine 100\)/);
    const parsed = parseTrainArgs(['--schedule', 'warmup-cosine', '--warmup-steps', '20', '--min-lr-factor', '0.1']);
    expect(parsed).toMatchObject({ options: { schedule: 'warmup-cosine', scheduleHyper: { warmupSteps: 20, minLrFactor: 0.1 }, hyper: {} } });
    expect(() => parseTrainArgs(['--warmup-steps', '20'])).toThrow(/--warmup-steps is not a setting of the constant schedule \(it takes none; choose one with --schedule\)/);
    expect(() => parseTrainArgs(['--schedule', 'cosine', '--decay-every', '3'])).toThrow(/--decay-every is not a setting of the cosine schedule \(it takes --schedule-steps, --min-lr-factor\)/);
    expect(() => parseTrainArgs(['--schedule', 'warmup-cosine', '--warmup-steps', '3000'])).toThrow(/must be longer than its warm-up/);
    expect(() => parseTrainArgs(['--schedule', 'linear'])).toThrow(/--schedule must be one of constant, step, cosine, warmup-cosine/);
    expect(() => parseTrainArgs(['--name', 'x'])).toThrow(/--name is for recorded runs: add --record/);
    expect(() => parseTrainArgs(['--record=yes'])).toThrow(/--record takes no value/);
    expect(() => parseTrainArgs(['--record', '--name', ''])).toThrow(/--name must not be empty/);
  });
});
