// A recorded run's CSV and TensorBoard exports (`npm run export -- --run ID --csv/--tensorboard`):
// both parse, with one training point per point of the run's history and one test point per
// evaluation, holding the run's values. The event file is read back record by record with this
// test's own reader: TFRecord framing (u64 length, masked CRC-32C of the length, data, masked
// CRC-32C of the data; the CRC computed here bit by bit, independently of the exporter's) and
// the Event protobuf (wall_time, step, file_version, summary.value[].tag/simple_value).
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sliceMnist } from '../../src/engine/data/mnist';
import { runExportCommand } from '../../src/main/cli/exportCommand';
import { runTrainCommand } from '../../src/main/cli/trainCommand';
import { loadMnist } from '../../src/main/data/loadMnist';
import { maskedCrc32c, runTensorboardEvents } from '../../src/main/runs/runExports';
import { RunStore } from '../../src/main/runs/runStore';
import type { RunRecord } from '../../src/shared/runs';
import { learningRateAt } from '../../src/shared/schedules';

/** CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), bit by bit. */
function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
const mask = (crc: number) => (((crc >>> 15) | (crc << 17)) + 0xa282ead8) >>> 0;

type Field = { field: number; wire: number; value: bigint | Uint8Array | DataView };

/** The fields of one protobuf message, in order. */
function fields(bytes: Uint8Array): Field[] {
  const out: Field[] = [];
  let at = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const b = bytes[at++];
      if (b === undefined) throw new Error('truncated varint');
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
    }
  };
  while (at < bytes.length) {
    const key = Number(varint());
    const field = key >>> 3;
    const wire = key & 7;
    if (wire === 0) out.push({ field, wire, value: varint() });
    else if (wire === 1 || wire === 5) {
      const size = wire === 1 ? 8 : 4;
      out.push({ field, wire, value: new DataView(bytes.buffer, bytes.byteOffset + at, size) });
      at += size;
    } else if (wire === 2) {
      const length = Number(varint());
      out.push({ field, wire, value: bytes.subarray(at, at + length) });
      at += length;
    } else throw new Error(`wire type ${wire}`);
  }
  if (at !== bytes.length) throw new Error('message overruns its bytes');
  return out;
}

interface Event {
  wallTime: number;
  step: number;
  fileVersion: string | null;
  values: { tag: string; value: number }[];
}

function readEvents(file: Uint8Array): Event[] {
  const events: Event[] = [];
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  let at = 0;
  while (at < file.length) {
    const length = Number(view.getBigUint64(at, true));
    expect(view.getUint32(at + 8, true), 'masked CRC-32C of the length').toBe(mask(crc32c(file.subarray(at, at + 8))));
    const data = file.subarray(at + 12, at + 12 + length);
    expect(data.length).toBe(length);
    expect(view.getUint32(at + 12 + length, true), 'masked CRC-32C of the data').toBe(mask(crc32c(data)));
    at += 16 + length;
    const event: Event = { wallTime: NaN, step: 0, fileVersion: null, values: [] };
    for (const f of fields(data)) {
      if (f.field === 1 && f.wire === 1) event.wallTime = (f.value as DataView).getFloat64(0, true);
      else if (f.field === 2 && f.wire === 0) event.step = Number(f.value);
      else if (f.field === 3 && f.wire === 2) event.fileVersion = new TextDecoder().decode(f.value as Uint8Array);
      else if (f.field === 5 && f.wire === 2) {
        for (const v of fields(f.value as Uint8Array)) {
          expect(v.field).toBe(1);
          const value = fields(v.value as Uint8Array);
          const tag = value.find((x) => x.field === 1 && x.wire === 2);
          const simple = value.find((x) => x.field === 2 && x.wire === 5);
          event.values.push({ tag: new TextDecoder().decode(tag!.value as Uint8Array), value: (simple!.value as DataView).getFloat32(0, true) });
        }
      } else throw new Error(`unexpected Event field ${f.field}`);
    }
    events.push(event);
  }
  expect(at).toBe(file.length);
  return events;
}

const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t), isTTY: false } } };
};

describe('a recorded run as CSV and TensorBoard events', () => {
  let dir: string;
  let record: RunRecord;
  let csv: string;
  let events: Event[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'digitrain-run-exports-'));
    const full = loadMnist();
    const data = { train: sliceMnist(full.train, 0, 2000), test: sliceMnist(full.test, 0, 200) };
    const runs = join(dir, 'runs');
    const train = capture();
    // 150 steps of 2000 images in batches of 32: evaluations at the ends of both epochs and at step 150; a step schedule so lr changes.
    const args = ['--hidden', '16', '--steps', '150', '--schedule', 'step', '--decay-every', '40', '--out', join(dir, 'w.safetensors'), '--record', '--runs-dir', runs, '--threads', '1'];
    expect(await runTrainCommand(args, { ...train.io, loadData: () => data }), train.err.join('')).toBe(0);
    const id = (JSON.parse(train.out.join('')) as { run: { id: string } }).run.id;
    [record] = await new RunStore(runs).records([id]);
    const exported = capture();
    const code = await runExportCommand(['--run', id, '--runs-dir', runs, '--csv', join(dir, 'run.csv'), '--tensorboard', join(dir, 'tb')], exported.io);
    expect(code, exported.err.join('')).toBe(0);
    csv = await readFile(join(dir, 'run.csv'), 'utf8');
    const [eventFile, ...others] = await readdir(join(dir, 'tb'));
    expect(others).toEqual([]);
    expect(eventFile).toMatch(/^events\.out\.tfevents\.\d+\.digitrain$/);
    events = readEvents(new Uint8Array(await readFile(join(dir, 'tb', eventFile))));
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('the run has points to export', () => {
    expect(record.history.step.length).toBe(150);
    expect(record.evaluations).toHaveLength(3); // two epoch ends (62.5 steps each) and the last step
    expect(record.evaluations.at(-1)!.step).toBe(150);
  });

  it("CSV: a header, one row per training point and one per evaluation, with the run's values", () => {
    const [header, ...lines] = csv.trimEnd().split('\n');
    expect(header).toBe('step,epoch,time,train_loss,train_accuracy,lr,test_loss,test_accuracy');
    const rows = lines.map((line) => line.split(','));
    for (const row of rows) expect(row).toHaveLength(8);
    const trainRows = rows.filter((r) => r[3] !== '');
    const testRows = rows.filter((r) => r[6] !== '');
    expect(trainRows.length).toBe(record.history.step.length);
    expect(testRows.length).toBe(record.evaluations.length);
    expect(trainRows.length + testRows.length).toBe(rows.length);
    trainRows.forEach((r, i) => {
      expect(Number(r[0])).toBe(record.history.step[i]);
      expect(Number(r[3])).toBe(record.history.loss[i]);
      expect(Number(r[4])).toBe(record.history.accuracy[i]);
      expect(Number(r[5])).toBe(learningRateAt(record.config.optimizer, record.history.step[i] - 1));
      expect(r[6] + r[7]).toBe('');
    });
    expect(new Set(trainRows.map((r) => r[5])).size, 'the step schedule halves lr every 40 steps').toBe(4);
    testRows.forEach((r, i) => {
      expect(Number(r[0])).toBe(record.evaluations[i].step);
      expect(Number(r[6])).toBe(record.evaluations[i].testLoss);
      expect(Number(r[7])).toBe(record.evaluations[i].testAccuracy);
    });
    // Epoch and time never go backwards, and the last row is at the run's epoch.
    const epochs = rows.map((r) => Number(r[1]));
    const times = rows.map((r) => Number(r[2]));
    for (let i = 1; i < rows.length; i++) {
      expect(epochs[i]).toBeGreaterThanOrEqual(epochs[i - 1]);
      expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]);
    }
    expect(epochs.at(-1)).toBeCloseTo(record.epoch, 10);
  });

  it('TensorBoard: valid records, a file-version event, then the five scalar series with as many points as the run', () => {
    expect(events[0].fileVersion).toBe('brain.Event:2');
    const series = new Map<string, { step: number; value: number; wallTime: number }[]>();
    for (const e of events.slice(1)) {
      for (const v of e.values) series.set(v.tag, [...(series.get(v.tag) ?? []), { step: e.step, value: v.value, wallTime: e.wallTime }]);
    }
    expect([...series.keys()].sort()).toEqual(['lr', 'test/accuracy', 'test/loss', 'train/accuracy', 'train/loss']);
    const f32 = Math.fround;
    expect(series.get('train/loss')!.map((p) => [p.step, p.value])).toEqual(record.history.step.map((s, i) => [s, f32(record.history.loss[i])]));
    expect(series.get('train/accuracy')!.map((p) => p.value)).toEqual(record.history.accuracy.map(f32));
    expect(series.get('lr')!.map((p) => p.value)).toEqual(record.history.step.map((s) => f32(learningRateAt(record.config.optimizer, s - 1))));
    expect(series.get('test/accuracy')!.map((p) => [p.step, p.value])).toEqual(record.evaluations.map((e) => [e.step, f32(e.testAccuracy)]));
    expect(series.get('test/loss')!.map((p) => p.value)).toEqual(record.evaluations.map((e) => f32(e.testLoss)));
    // Wall times: the run's start plus its training time, never going backwards.
    const start = Date.parse(record.started) / 1000;
    const walls = events.map((e) => e.wallTime);
    expect(walls[0]).toBe(start);
    for (let i = 1; i < walls.length; i++) expect(walls[i]).toBeGreaterThanOrEqual(walls[i - 1]);
    expect(walls.at(-1)! - start).toBeLessThanOrEqual(record.seconds + 1e-6);
  });

  it('the masked CRC-32C is the standard one (check value of "123456789" is 0xE3069283)', () => {
    const check = new TextEncoder().encode('123456789');
    expect(crc32c(check)).toBe(0xe3069283);
    expect(maskedCrc32c(check)).toBe(mask(0xe3069283));
    // And an empty run still makes a readable file: only the file-version event.
    const empty = readEvents(runTensorboardEvents({ ...record, history: { step: [], loss: [], accuracy: [] }, evaluations: [] }));
    expect(empty).toHaveLength(1);
  });
});
