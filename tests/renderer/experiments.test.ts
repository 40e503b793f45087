// What the experiment panels derive: the settings two runs differ in, curves against steps,
// epochs and time, the best evaluation early stopping would keep, the learning-rate curve,
// and an exported 28×28 digit read back pixel for pixel.
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { encodeGreyPng } from '../../src/main/digits/png';
import { defaultConfig, type TrainConfig } from '../../src/shared/contract';
import { mnistBytes } from '../../src/shared/images/mnistImage';
import { MNIST_PIXELS } from '../../src/shared/mnist';
import { mlpSpec } from '../../src/shared/model/spec';
import { bestEvaluation } from '../../src/renderer/lib/bestEvaluation';
import { curveHorizon, curvePoints as lrPoints, formatLr } from '../../src/renderer/lib/lrCurve';
import { axisValue, curvePoints, differingSettings, formatSeconds, settingsOf } from '../../src/renderer/lib/runCompare';
import { makeRun } from '../experiments/helpers';

const config = (patch: Partial<TrainConfig>): TrainConfig => ({ ...defaultConfig(), ...patch });

describe('the settings runs differ in', () => {
  it('names each by its own key: lr, not "optimizer"', () => {
    const a = config({ optimizer: { type: 'adam', hyper: { lr: 0.001, weightDecay: 0 } } });
    const b = config({ optimizer: { type: 'adam', hyper: { lr: 0.003, weightDecay: 0 } } });
    expect(differingSettings([a, b])).toEqual([{ key: 'lr', label: 'Learning rate', values: ['0.001', '0.003'] }]);
    expect(differingSettings([a, a])).toEqual([]);
  });

  it('a schedule, a model, an optimizer with other hyperparameters, early stopping and mixing', () => {
    const a = config({});
    const b = config({
      model: mlpSpec(64),
      optimizer: { type: 'sgd', hyper: { lr: 0.001, momentum: 0.9, weightDecay: 0 }, schedule: { type: 'cosine', hyper: { scheduleSteps: 500, minLrFactor: 0 } } },
      earlyStopping: 3,
      mixMyDigits: 0.2,
    });
    const rows = differingSettings([a, b]);
    expect(rows.map((r) => r.key)).toEqual(['model', 'optimizer', 'momentum', 'schedule', 'scheduleSteps', 'minLrFactor', 'earlyStopping', 'mixMyDigits']);
    expect(rows.find((r) => r.key === 'momentum')?.values).toEqual(['–', '0.9']);
    expect(rows.find((r) => r.key === 'model')?.values[1]).toMatch(/^784 → 64 → 10 /);
    expect(rows.find((r) => r.key === 'mixMyDigits')?.values).toEqual(['off', '20% of each batch']);
    expect(settingsOf(a).get('schedule')?.value).toBe('Constant');
  });
});

describe('run curves against steps, epochs and time', () => {
  const run = { ...makeRun({ step: 400, epoch: 0.2, seconds: 40, timeline: { step: [100, 300], epoch: [0.05, 0.15], seconds: [20, 30] } }), name: 'Run 1', updated: '', bytes: 0, hasWeights: true };

  it('reads epochs and seconds off the timeline, linearly between its points', () => {
    expect(axisValue(run, 'step', 250)).toBe(250);
    expect(axisValue(run, 'epoch', 200)).toBeCloseTo(0.1, 12);
    expect(axisValue(run, 'seconds', 50)).toBeCloseTo(10, 12);
    expect(axisValue(run, 'seconds', 200)).toBeCloseTo(25, 12);
    expect(axisValue(run, 'seconds', 400)).toBe(40);
  });

  it('draws at most the points asked for, first and last included', () => {
    const points = curvePoints({ ...run, history: { step: Array.from({ length: 2000 }, (_, i) => i + 1), loss: Array(2000).fill(1), accuracy: Array(2000).fill(0.5) } }, 'step', 300);
    expect(points.length).toBeLessThanOrEqual(300);
    expect(points[0].x).toBe(1);
    expect(points.at(-1)?.x).toBe(2000);
  });

  it('formats training time', () => {
    expect([formatSeconds(4.4), formatSeconds(185), formatSeconds(3725)]).toEqual(['4 s', '3 min 05 s', '1 h 02 min']);
  });
});

describe('the best evaluation (what Restore best goes back to)', () => {
  it('is the lowest test loss, the first one on a tie, with the evaluations since counted', () => {
    const e = (step: number, testLoss: number) => ({ step, testLoss, testAccuracy: 0.9 });
    expect(bestEvaluation([])).toBeNull();
    expect(bestEvaluation([e(100, 0.5), e(200, 0.4), e(300, 0.4), e(400, 0.45)])).toEqual({ best: e(200, 0.4), since: 2 });
  });
});

describe('the learning-rate curve', () => {
  it("spans the schedule (or the run so far, when longer) and samples the trainer's own function", () => {
    const cosine = { type: 'adam' as const, hyper: { lr: 0.01 }, schedule: { type: 'cosine' as const, hyper: { scheduleSteps: 1000, minLrFactor: 0 } } };
    expect(curveHorizon(cosine, 0)).toBe(1100);
    expect(curveHorizon(cosine, 5000)).toBe(5500);
    const points = lrPoints(cosine, 1100, 12);
    expect(points[0]).toEqual({ t: 0, lr: 0.01 });
    expect(points.at(-1)).toEqual({ t: 1100, lr: 0 });
    expect([formatLr(0.01), formatLr(0.00123456), formatLr(0.000123456), formatLr(0)]).toEqual(['0.01', '0.00123', '1.23e-4', '0']);
  });
});

describe('an exported digit imports back exactly', () => {
  it('28×28 PNGs are read pixel for pixel; dark ink on light paper is turned round', () => {
    const pixels = Uint8Array.from({ length: MNIST_PIXELS }, (_, i) => (i % 28 > 5 && i % 28 < 20 && i > 150 && i < 600 ? (i * 7) % 256 : 0));
    const png = PNG.sync.read(Buffer.from(encodeGreyPng(pixels, 28, 28)));
    expect(mnistBytes({ width: 28, height: 28, data: new Uint8Array(png.data) })).toEqual(pixels);
    const inverted = Uint8Array.from(png.data, (v, i) => (i % 4 === 3 ? v : 255 - v));
    expect(mnistBytes({ width: 28, height: 28, data: inverted })).toEqual(pixels);
    expect(mnistBytes({ width: 56, height: 56, data: new Uint8Array(56 * 56) })).toBeNull();
  });
});
