// A kept run in the formats other tools read: CSV (spreadsheets, pandas) and TensorBoard event
// files. Both are made from a run's public record (shared/runs.ts): one training point per
// history point (each the mean of its steps, as the app draws them), and one test point per
// evaluation. The epoch and training time of a point are read off the run's timeline; the
// learning rate is the run's schedule at that step.
import { createRequire } from 'node:module';
import { ProtoWriter } from '../../engine/io/protobuf';
import type { RunRecord } from '../../shared/runs';
import { learningRateAt } from '../../shared/schedules';

// crc-32's CRC-32C (Castagnoli), as TFRecord framing needs; a CommonJS module.
const crc32c = createRequire(import.meta.url)('crc-32/crc32c') as { buf(data: Uint8Array, seed?: number): number };

type RunPoints = Pick<RunRecord, 'history' | 'timeline' | 'evaluations' | 'config' | 'started'>;

/**
 * Linear interpolation of `ys` over `xs` (ascending) at x; before the first point the first
 * segment's slope carries on back (the timeline is marked every few steps, not at step 1),
 * after the last the last value holds. Null without points.
 */
function interpolate(xs: readonly number[], ys: readonly number[], x: number): number | null {
  if (xs.length === 0) return null;
  if (x <= xs[0]) {
    if (xs.length < 2 || xs[1] === xs[0]) return ys[0];
    return Math.max(0, ys[0] + ((ys[1] - ys[0]) * (x - xs[0])) / (xs[1] - xs[0]));
  }
  for (let i = 1; i < xs.length; i++) {
    if (x <= xs[i]) {
      const span = xs[i] - xs[i - 1];
      return span === 0 ? ys[i] : ys[i - 1] + ((ys[i] - ys[i - 1]) * (x - xs[i - 1])) / span;
    }
  }
  return ys[ys.length - 1];
}

interface Point {
  step: number;
  epoch: number | null;
  seconds: number | null;
  train?: { loss: number; accuracy: number; lr: number };
  test?: { loss: number; accuracy: number };
}

/** The run's points in step order, the training point before the test point of the same step. */
export function runPoints(run: RunPoints): Point[] {
  const at = (step: number) => ({
    step,
    epoch: interpolate(run.timeline.step, run.timeline.epoch, step),
    seconds: interpolate(run.timeline.step, run.timeline.seconds, step),
  });
  const points: Point[] = [];
  run.history.step.forEach((step, i) => {
    // A step is 1-based; the schedule's t is 0-based (the first step is t = 0).
    points.push({ ...at(step), train: { loss: run.history.loss[i], accuracy: run.history.accuracy[i], lr: learningRateAt(run.config.optimizer, Math.max(0, step - 1)) } });
  });
  for (const e of run.evaluations) points.push({ ...at(e.step), test: { loss: e.testLoss, accuracy: e.testAccuracy } });
  return points.sort((a, b) => a.step - b.step || (a.train ? 0 : 1) - (b.train ? 0 : 1));
}

export const CSV_COLUMNS = ['step', 'epoch', 'time', 'train_loss', 'train_accuracy', 'lr', 'test_loss', 'test_accuracy'] as const;

/**
 * One row per training point (step, epoch, training seconds, batch loss, batch accuracy, lr) and
 * one per test evaluation (its test loss and accuracy); a row leaves the other kind's columns empty.
 */
export function runCsv(run: RunPoints): string {
  const cell = (value: number | null | undefined) => (value === null || value === undefined ? '' : String(value));
  const rows = runPoints(run).map((p) => [p.step, p.epoch, p.seconds, p.train?.loss, p.train?.accuracy, p.train?.lr, p.test?.loss, p.test?.accuracy].map(cell).join(','));
  return `${CSV_COLUMNS.join(',')}\n${rows.join('\n')}\n`;
}

/** TFRecord's masked CRC-32C: rotated right by 15 bits, plus a constant. */
export function maskedCrc32c(data: Uint8Array): number {
  const crc = crc32c.buf(data) >>> 0;
  return (((crc >>> 15) | (crc << 17)) + 0xa282ead8) >>> 0;
}

/** One TFRecord: length (u64 LE), masked CRC of the length, the data, masked CRC of the data. */
export function tfRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + 4 + data.length + 4);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}

/** An Event (tensorboard/compat/proto/event.proto): wall_time 1, step 2, file_version 3, summary 5. */
function event(wallTime: number, step: number, values: [string, number][] | null, fileVersion?: string): Uint8Array {
  const writer = new ProtoWriter().double(1, wallTime);
  if (step !== 0) writer.int(2, step);
  if (fileVersion !== undefined) writer.string(3, fileVersion);
  // Summary.value (1): Summary.Value with tag (1) and simple_value (2).
  if (values)
    writer.message(5, (summary) => {
      for (const [tag, value] of values) summary.message(1, (v) => v.string(1, tag).float(2, value));
    });
  return writer.finish();
}

export const TENSORBOARD_TAGS = { trainLoss: 'train/loss', trainAccuracy: 'train/accuracy', lr: 'lr', testLoss: 'test/loss', testAccuracy: 'test/accuracy' } as const;

/**
 * An event file with the run's scalars: train/loss, train/accuracy and lr at every training point,
 * test/loss and test/accuracy at every evaluation. Wall times are the run's start plus its training seconds.
 */
export function runTensorboardEvents(run: RunPoints): Uint8Array {
  const start = Date.parse(run.started) / 1000;
  const begin = Number.isFinite(start) ? start : 0;
  const records = [tfRecord(event(begin, 0, null, 'brain.Event:2'))];
  for (const p of runPoints(run)) {
    const wall = begin + (p.seconds ?? 0);
    const values: [string, number][] = p.train
      ? [
          [TENSORBOARD_TAGS.trainLoss, p.train.loss],
          [TENSORBOARD_TAGS.trainAccuracy, p.train.accuracy],
          [TENSORBOARD_TAGS.lr, p.train.lr],
        ]
      : [
          [TENSORBOARD_TAGS.testLoss, p.test!.loss],
          [TENSORBOARD_TAGS.testAccuracy, p.test!.accuracy],
        ];
    records.push(tfRecord(event(wall, p.step, values)));
  }
  const out = new Uint8Array(records.reduce((n, r) => n + r.length, 0));
  let offset = 0;
  for (const r of records) {
    out.set(r, offset);
    offset += r.length;
  }
  return out;
}

/** TensorBoard finds event files by this name pattern: `events.out.tfevents.<seconds>.<host>`. */
export function tensorboardFileName(run: Pick<RunRecord, 'started'>): string {
  const seconds = Math.floor(Date.parse(run.started) / 1000);
  return `events.out.tfevents.${Number.isFinite(seconds) ? seconds : 0}.digitrain`;
}
