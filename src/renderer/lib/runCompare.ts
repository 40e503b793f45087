// What the Runs panel draws and tabulates for the runs selected: their curves against steps,
// epochs or training seconds, and the settings in which they differ.
import { describeModel } from '../../shared/model/describe';
import { HYPERPARAMETERS, OPTIMIZERS } from '../../shared/optimizers';
import { CONSTANT_SCHEDULE, SCHEDULES } from '../../shared/schedules';
import { TRAIN_SETTINGS } from '../../shared/trainSettings';
import type { SettingsChange, TrainConfig } from '../../shared/contract';
import { settingsAtBest, type RunRecord, type RunSummary } from '../../shared/runs';
import { strideIndices } from './downsample';
import { fitLossAxis, logDomain, logTicks, valueTicks } from '../state/chartData';
import { widthsText } from './modelSummary';

export type Axis = 'step' | 'epoch' | 'seconds';

export interface CurvePoint {
  x: number;
  loss: number;
  accuracy: number;
}

export interface TestPoint {
  x: number;
  testLoss: number;
  testAccuracy: number;
}

/** Where step `step` falls on `axis`: read off the run's timeline (linearly between its points). */
export function axisValue(record: Pick<RunRecord, 'timeline' | 'step' | 'epoch' | 'seconds'>, axis: Axis, step: number): number {
  if (axis === 'step') return step;
  const steps = record.timeline.step;
  const values = axis === 'epoch' ? record.timeline.epoch : record.timeline.seconds;
  const end = axis === 'epoch' ? record.epoch : record.seconds;
  // Anchors: the start, the timeline, and where the run ended.
  const xs = [0, ...steps, record.step];
  const ys = [0, ...values, end];
  let i = 1;
  while (i < xs.length - 1 && xs[i] < step) i++;
  const [x0, x1, y0, y1] = [xs[i - 1], xs[i], ys[i - 1], ys[i]];
  if (x1 <= x0) return y1;
  return y0 + ((y1 - y0) * (step - x0)) / (x1 - x0);
}

/** The run's training curves on `axis`, at most `maxPoints` of them. */
export function curvePoints(record: RunRecord, axis: Axis, maxPoints = 300): CurvePoint[] {
  const { step, loss, accuracy } = record.history;
  const picked = step.length <= maxPoints ? step.map((_, i) => i) : Array.from(strideIndices(step.length, maxPoints));
  return picked.map((i) => ({ x: axisValue(record, axis, step[i]), loss: loss[i], accuracy: accuracy[i] }));
}

export function testPoints(record: RunRecord, axis: Axis): TestPoint[] {
  return record.evaluations.map((e) => ({ x: axisValue(record, axis, e.step), testLoss: e.testLoss, testAccuracy: e.testAccuracy }));
}

export interface SettingRow {
  /** What the table's row is called: the setting's own name (`lr`, `batchSize`). */
  key: string;
  label: string;
  /** One text per run, in the order given. */
  values: string[];
}

const number = (v: number | null | undefined) => (v === null || v === undefined ? '–' : String(Number(v.toPrecision(6))));

/** Every setting of a config as text, under its own name; one place for what a run's settings are. */
export function settingsOf(config: TrainConfig): Map<string, { label: string; value: string }> {
  const out = new Map<string, { label: string; value: string }>();
  const add = (key: string, label: string, value: string) => out.set(key, { label, value });
  add('model', 'Model', `${widthsText(describeModel(config.model))} (${config.model.layers.map((l) => l.type).join(', ')})`);
  add('optimizer', 'Optimizer', OPTIMIZERS[config.optimizer.type].label);
  for (const [name, value] of Object.entries(config.optimizer.hyper)) add(name, HYPERPARAMETERS[name as keyof typeof HYPERPARAMETERS]?.label ?? name, number(value));
  const schedule = config.optimizer.schedule ?? CONSTANT_SCHEDULE;
  add('schedule', 'Learning-rate schedule', SCHEDULES[schedule.type].label);
  for (const [name, value] of Object.entries(schedule.hyper)) add(name, HYPERPARAMETERS[name as keyof typeof HYPERPARAMETERS]?.label ?? name, number(value));
  add('batchSize', TRAIN_SETTINGS.batchSize.label, number(config.batchSize));
  add('seed', TRAIN_SETTINGS.seed.label, number(config.seed));
  add('epochs', TRAIN_SETTINGS.epochs.label, config.epochs === null ? 'until stopped' : number(config.epochs));
  add('evalEvery', TRAIN_SETTINGS.evalEvery.label, number(config.evalEvery));
  add('labelSmoothing', TRAIN_SETTINGS.labelSmoothing.label, number(config.labelSmoothing));
  add('earlyStopping', 'Early stopping', config.earlyStopping === null ? 'off' : `patience ${config.earlyStopping}`);
  add('mixMyDigits', 'Mixed-in digits of yours', config.mixMyDigits === null ? 'off' : `${Math.round(config.mixMyDigits * 100)}% of each batch`);
  return out;
}

/** The settings in which the runs differ (a setting only some of them have counts as a difference). */
export function differingSettings(configs: readonly TrainConfig[]): SettingRow[] {
  const all = configs.map(settingsOf);
  const keys = mergedOrder(all.map((settings) => [...settings.keys()]));
  const rows: SettingRow[] = [];
  for (const key of keys) {
    const values = all.map((settings) => settings.get(key)?.value ?? '–');
    if (new Set(values).size > 1) rows.push({ key, label: all.find((s) => s.has(key))?.get(key)?.label ?? key, values });
  }
  return rows;
}

/**
 * The rows of Compare's "Settings that differ": like with like, the settings each run had at
 * its best test accuracy (not the ones it ended with, which may have come after and wrecked it).
 */
export function compareSettings(runs: readonly Pick<RunSummary, 'settings' | 'bestStep' | 'config'>[]): SettingRow[] {
  return differingSettings(runs.map(settingsAtBest));
}

/** What changed from `before` to `after`, shortly: "optimizer SGD, lr 5". */
export function changeLabel(before: TrainConfig, after: TrainConfig): string {
  const rows = differingSettings([before, after]);
  if (rows.length === 0) return 'settings';
  return rows.map((row) => (row.key === 'optimizer' ? `${row.values[1].split(' ')[0]}` : `${row.key} ${row.values[1]}`)).join(', ');
}

/** A settings change to mark on a chart: the first step trained with the new settings, and what changed. */
export interface SettingsMarker {
  step: number;
  label: string;
}

/** The changes of a settings timeline (its first entry is where the run began, not a change). */
export function settingsMarkers(settings: readonly SettingsChange[]): SettingsMarker[] {
  return settings.slice(1).map((entry, i) => ({ step: entry.step, label: changeLabel(settings[i].config, entry.config) }));
}

/** Every key of the lists, each where its lists put it (after the key before it). */
function mergedOrder(lists: string[][]): string[] {
  const out: string[] = [];
  for (const list of lists) {
    list.forEach((key, i) => {
      if (out.includes(key)) return;
      const after = i === 0 ? -1 : out.indexOf(list[i - 1]);
      out.splice(after + 1, 0, key);
    });
  }
  return out;
}

/** A duration for the runs list: `42 s`, `3 min 05 s`, `1 h 02 min`. */
export function formatSeconds(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** The lowest loss Compare's log axis shows (as the live chart's). */
export const LOG_FLOOR = 1e-4;

/**
 * The loss axis of the compared runs: linear, fitted to what did not explode (a diverged run's
 * 360 would flatten the others to the floor), the rest at the top edge and counted, ticks on round
 * values (each exactly its label); or log.
 */
export function compareLossAxis(drawn: readonly { curve: readonly Pick<CurvePoint, 'loss'>[]; tests: readonly Pick<TestPoint, 'testLoss'>[] }[], log: boolean) {
  const values = drawn.flatMap((d) => [...d.curve.map((p) => p.loss), ...d.tests.map((t) => t.testLoss)]);
  if (log) {
    const domain = logDomain(
      values.map((v) => ({ loss: Math.max(v, LOG_FLOOR), lossEma: Math.max(v, LOG_FLOOR) })),
      LOG_FLOOR,
    );
    return { domain, ticks: logTicks(domain[0], domain[1]), offScale: 0, highest: null };
  }
  const fit = fitLossAxis(values, false);
  return { ...fit, ticks: valueTicks(fit.domain[0], fit.domain[1]) };
}
