// Issue 25 on the page's side: one name per run in the charts, settings changes marked, a y axis
// that an explosion does not flatten, a zoom that fits the steps in view, the same sampling of
// the curves before and after a reload, and Step/Train that say when the epochs are done.
import { describe, expect, it } from 'vitest';
import { DownsampledHistory } from '../../src/main/training/history';
import { changeLabel, compareLossAxis, settingsMarkers } from '../../src/renderer/lib/runCompare';
import { CHANCE_LOSS, clampToAxis, EXPLODED_LOSS, fitAccuracyAxis, fitLossAxis, valueTick } from '../../src/renderer/state/chartData';
import { epochsDoneProblem } from '../../src/renderer/state/draftCheck';
import { initialUiState, previousRunLabel, reduceAnswer, reduceAppState, reduceMetrics, reduceStatus, runName, type UiState } from '../../src/renderer/state/store';
import { appendStep } from '../../src/renderer/state/series';
import { defaultConfig, type AppState, type RunInfo, type TrainConfig } from '../../src/shared/contract';

const sgd = (lr: number): TrainConfig['optimizer'] => ({ type: 'sgd', hyper: { lr, momentum: 0, weightDecay: 0 }, schedule: { type: 'constant', hyper: {} } });

function apply(state: UiState, patch: Partial<UiState>): UiState {
  return { ...state, ...patch };
}

function status(run: RunInfo, step: number, config = defaultConfig()) {
  return { status: 'idle' as const, error: null, step, epoch: 0, config, run };
}

function appState(step: number, config: TrainConfig): AppState {
  return {
    version: 3 as AppState['version'],
    status: 'idle',
    run: { id: 1, origin: 'reset', file: null },
    error: null,
    config,
    step,
    epoch: 0,
    lastEvaluation: null,
    history: { step: [], loss: [], accuracy: [], evaluations: [] },
    settings: [],
    weights: null,
  };
}

describe('one name per run', () => {
  it("the charts call a run by the runs list's name, the greyed previous run too", () => {
    let s = initialUiState();
    const first: RunInfo = { id: 3, origin: 'reset', file: null, recordId: 'aaaaaaaa' };
    s = apply(s, reduceStatus(s, status(first, 0)));
    for (let step = 1; step <= 10; step++) appendStep(s.curves, step, 1, 0.5);
    const restored: RunInfo = { id: 4, origin: 'best', file: null, recordId: 'bbbbbbbb' };
    s = apply(s, reduceStatus(s, status(restored, 5)));
    const names = new Map([
      ['aaaaaaaa', 'Run 3'],
      ['bbbbbbbb', 'Run 4'],
    ]);
    expect(previousRunLabel(s.previousRun!, names)).toBe('Run 3 (before Restore best)');
    expect(runName(s.run, names)).toBe('Run 4');
    // Before the list has kept it, it is not given a number of its own.
    expect(runName(s.run, new Map())).toBe('this run');
  });
});

describe('settings changes on the live charts', () => {
  it('a change while a run goes on is marked from the step it applied to (as the Node side says), with what changed', () => {
    let s = initialUiState();
    const run: RunInfo = { id: 1, origin: 'reset', file: null };
    s = apply(s, reduceStatus(s, status(run, 0)));
    const changed = { ...defaultConfig(), optimizer: sgd(5) };
    // The answer to the Step (or Train) that brought the change, 10 steps later.
    const answer = {
      ...appState(8756, changed),
      settings: [
        { step: 1, config: defaultConfig() },
        { step: 8747, config: changed },
      ],
    };
    s = apply(s, reduceAnswer(s, answer));
    expect(settingsMarkers(s.settings)).toEqual([{ step: 8747, label: 'SGD, lr 5, momentum 0' }]);
    expect(changeLabel(defaultConfig(), { ...defaultConfig(), batchSize: 64 })).toBe('batchSize 64');
    // A new run starts a new timeline: no marker carried over.
    s = apply(s, reduceStatus(s, status({ id: 2, origin: 'reset', file: null }, 0)));
    expect(settingsMarkers(s.settings)).toEqual([]);
  });
});

describe('the loss axis after an explosion', () => {
  const falling = Array.from({ length: 200 }, (_, i) => 2.3 * Math.exp(-i / 40) + 0.05);

  it('fits the part that did not explode and counts the rest as off scale', () => {
    const fit = fitLossAxis([...falling, 16.2, 360, Infinity, NaN], false);
    expect(fit.domain[0]).toBe(0);
    // Up to just above chance (where the run started), not up to 360.
    expect(fit.domain[1]).toBeGreaterThanOrEqual(CHANCE_LOSS);
    expect(fit.domain[1]).toBeLessThanOrEqual(3);
    expect(fit.offScale).toBe(4);
    expect(fit.highest).toBe(360);
    // Nothing off scale for a healthy run.
    expect(fitLossAxis(falling, false).offScale).toBe(0);
    // A run that is all explosion is shown as it is.
    const exploded = fitLossAxis([20, 40, 80], false);
    expect(exploded.offScale).toBe(0);
    expect(exploded.domain[1]).toBeGreaterThanOrEqual(80);
    expect(EXPLODED_LOSS).toBeCloseTo(3 * Math.log(10), 12);
  });

  it('draws the off-scale values at the top edge, marked', () => {
    const rows = [
      { step: 1, loss: 2, lossEma: 2 },
      { step: 2, loss: 16, lossEma: 4 },
    ];
    const clamped = clampToAxis(rows, ['loss', 'lossEma'], 2.5);
    expect(clamped[0]).toBe(rows[0]);
    expect(clamped[1]).toEqual({ step: 2, loss: 2.5, lossEma: 2.5, offScale: 2.5 });
  });

  it("Compare's loss axis: the same fit, its ticks round values written exactly (not 0.7 for 0.625)", () => {
    const runs = [
      { curve: falling.map((loss) => ({ loss })), tests: [{ testLoss: 0.4 }] },
      { curve: [...falling.slice(0, 50), 360].map((loss) => ({ loss })), tests: [] },
    ];
    const fit = compareLossAxis(runs, false);
    expect(fit.domain).toEqual(fitLossAxis([...falling, 0.4, ...falling.slice(0, 50), 360], false).domain);
    expect(fit.offScale).toBe(1);
    expect(fit.ticks[0]).toBe(0);
    expect(fit.ticks.at(-1)).toBeLessThanOrEqual(fit.domain[1]);
    expect(fit.ticks.length).toBeGreaterThanOrEqual(3);
    for (const t of fit.ticks) expect(Number(valueTick(t))).toBe(t);
    const gaps = fit.ticks.slice(1).map((t, i) => t - fit.ticks[i]);
    for (const g of gaps) expect(g).toBeCloseTo(gaps[0], 12);
    expect([0.1, 0.2, 0.25, 0.5, 1]).toContain(gaps[0]);
    // The log axis keeps its 1-2-5 ticks.
    const log = compareLossAxis(runs, true);
    for (const t of log.ticks) expect([1, 2, 5]).toContain(Number((t / 10 ** Math.floor(Math.log10(t) + 1e-9)).toPrecision(3)));
  });

  it('a zoom fits the y axis to the steps in view', () => {
    const late = Array.from({ length: 50 }, (_, i) => 0.97 + (i % 5) * 0.005);
    const [lo, hi] = fitAccuracyAxis(late, true);
    expect(lo).toBeGreaterThan(0.9);
    expect(lo).toBeLessThanOrEqual(0.97);
    expect(hi).toBeGreaterThanOrEqual(0.99);
    expect(hi).toBeLessThanOrEqual(1);
    expect(fitAccuracyAxis(late, false)).toEqual([0, 1]);
    const zoomedLoss = fitLossAxis([0.12, 0.08, 0.1, 0.09], true);
    expect(zoomedLoss.domain[0]).toBeGreaterThan(0.03);
    expect(zoomedLoss.domain[1]).toBeLessThan(0.2);
  });
});

describe('curves after a reload mid-training', () => {
  it('are sampled the same way before and after the reload point', () => {
    // The Node side's history after 5000 steps (two halvings: a point per 4 steps), as getState sends it.
    const history = new DownsampledHistory();
    for (let step = 1; step <= 5000; step++) history.push(step, 1 + Math.sin(step), 0.5);
    const app: AppState = {
      ...({} as AppState),
      version: 3 as AppState['version'],
      status: 'training',
      run: { id: 1, origin: 'reset', file: null },
      error: null,
      config: defaultConfig(),
      step: 5000,
      epoch: 2.6,
      lastEvaluation: null,
      history: { ...history.snapshot(), evaluations: [] },
      settings: [],
      weights: null,
    };
    let s = apply(initialUiState(), reduceAppState(initialUiState(), app));
    // Then training goes on, every step reported.
    for (let first = 5001; first <= 6000; first += 100) {
      s = apply(s, reduceMetrics(s, { firstStep: first, loss: Array.from({ length: 100 }, (_, i) => 1 + Math.sin(first + i)), accuracy: Array(100).fill(0.5), samplesPerSecond: 1, epoch: 3 }));
    }
    const steps = Array.from(s.curves.step.view());
    const before = steps.filter((x) => x > 4000 && x <= 5000).length;
    const after = steps.filter((x) => x > 5000 && x <= 6000).length;
    expect(before).toBe(250);
    expect(after).toBe(before);
  });
});

describe('Step and Train when the run has trained its epochs', () => {
  it('are refused before the click, with the reason', () => {
    const s = initialUiState();
    expect(epochsDoneProblem({ ...s, draft: { ...s.draft, epochs: 1 }, epoch: 0.5 })).toBeNull();
    expect(epochsDoneProblem({ ...s, draft: { ...s.draft, epochs: 1 }, epoch: 1 })).toMatch(/trained its 1 epoch: raise Epochs .* or Reset/);
    expect(epochsDoneProblem({ ...s, draft: { ...s.draft, epochs: null }, epoch: 7 })).toBeNull();
  });
});
