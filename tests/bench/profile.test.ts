// The engine's span recorder (src/engine/profile.ts) and `npm run bench -- --profile`'s use of
// it: off unless installed, without effect on what training computes, every span it reports
// has a row of the table, and the exclusive-time arithmetic. No wall-clock assertions: the
// timer's arithmetic runs on a clock the test drives.
import { afterEach, describe, expect, test } from 'vitest';
import { convDetail, PROFILE_SPANS, setSpanRecorder, spanRecorder, SpanTimer, type ProfileSpan } from '../../src/engine/profile';
import { enableParallel, shutdownParallel } from '../../src/engine/parallel';
import { loadMnist } from '../../src/main/data/loadMnist';
import { Trainer } from '../../src/main/training/trainer';
import { defaultConfig } from '../../src/shared/contract';
import { describeModel } from '../../src/shared/model/describe';
import { PRESET_NAMES, presetSpec, type PresetName } from '../../src/shared/model/presets';
import { OUR_CATEGORY, PROFILE_ROWS } from '../../bench/profileCategories';

afterEach(async () => {
  setSpanRecorder(null);
  await shutdownParallel();
});

const data = loadMnist();

/** A few steps of `arch` at batch 4 (the presets' shapes, a small batch), with `recorder` installed during them. */
function train(arch: PresetName, recorder: SpanTimer | null): { params: Float32Array[]; losses: number[]; recorded: ReturnType<SpanTimer['take']>[] } {
  const trainer = new Trainer(data, { ...defaultConfig(), batchSize: 4, model: presetSpec(arch) });
  const losses: number[] = [];
  const recorded: ReturnType<SpanTimer['take']>[] = [];
  setSpanRecorder(recorder);
  try {
    for (let i = 0; i < 3; i++) {
      losses.push(trainer.trainStep().loss);
      if (recorder) recorded.push(recorder.take());
    }
  } finally {
    setSpanRecorder(null);
  }
  return { params: trainer.model.parameters().map((p) => Float32Array.from(p.data)), losses, recorded };
}

const bits = (a: Float32Array): number[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

describe.each([
  ['the reference kernels', 0],
  ['the WASM kernels on a pool of 2', 2],
])('training with %s', (_name, threads) => {
  test.each(PRESET_NAMES)('%s: the same bits with the recorder on, and every span it reports has a row', async (arch) => {
    if (threads > 0) await enableParallel({ threads }).whenReady();
    expect(spanRecorder()).toBeNull();
    const off = train(arch, null);
    const on = train(arch, new SpanTimer());
    expect(on.losses).toEqual(off.losses);
    expect(on.params.map(bits)).toEqual(off.params.map(bits));

    const spans = new Set<ProfileSpan>(on.recorded.flatMap((r) => [...r.spans.keys()]));
    for (const span of spans) expect(PROFILE_ROWS.map((r) => r.id)).toContain(OUR_CATEGORY[span]);
    // What every step of every preset does has a span of its own.
    for (const span of ['batch', 'loss.forward', 'loss.backward', 'autograd', 'linear.forward', 'linear.backward'] as const) expect(spans).toContain(span);
    // Each convolution's spans carry its shape, and the shapes are the spec's convolutions.
    const convs = describeModel(presetSpec(arch)).layers.filter((l) => l.layer.type === 'conv2d');
    const expected = convs.map((l) => {
      const k = l.layer.type === 'conv2d' ? l.layer.kernel : 0;
      return convDetail(l.input[0], l.output[0], k, k, l.input[1], l.input[2], l.output[1], l.output[2]);
    });
    const details = new Set(on.recorded.flatMap((r) => r.details.map((d) => d.detail)));
    expect([...details].sort()).toEqual([...expected].sort());
    if (convs.length > 0) {
      for (const span of ['conv.im2col.forward', 'conv.gemm.forward', 'conv.gemm.weight', 'conv.im2col.backward', 'maxpool.forward', 'maxpool.backward', 'relu.forward', 'relu.backward'] as const) {
        expect(spans).toContain(span);
      }
    }
    // The first convolution reads the pixels, which need no gradient: its input-gradient spans never run.
    const first = expected[0];
    if (first) expect(on.recorded.flatMap((r) => r.details).some((d) => d.detail === first && (d.span === 'conv.gemm.input' || d.span === 'conv.col2im'))).toBe(false);
  });
});

test('every span of the engine has a row of the profile', () => {
  const rows = new Set<string>(PROFILE_ROWS.map((r) => r.id));
  for (const span of PROFILE_SPANS) expect(rows).toContain(OUR_CATEGORY[span]);
});

describe('SpanTimer', () => {
  /** A clock the test moves. */
  function clock(): { now: () => number; set: (t: number) => void } {
    let t = 0;
    return { now: () => t, set: (next) => (t = next) };
  }

  test('charges each span its own time, less the spans inside it, by span and by detail', () => {
    const c = clock();
    const timer = new SpanTimer(c.now);
    timer.begin('autograd'); // 0 .. 10, with relu.backward 2 .. 5 (holding a zero fill 3 .. 4) inside
    c.set(2);
    timer.begin('relu.backward');
    c.set(3);
    timer.begin('zero');
    c.set(4);
    timer.end();
    c.set(5);
    timer.end();
    c.set(6);
    timer.begin('conv.gemm.weight', 'a'); // 6 .. 8 and 8 .. 9, two details
    c.set(8);
    timer.end();
    timer.begin('conv.gemm.weight', 'b');
    c.set(9);
    timer.end();
    c.set(10);
    timer.end();
    const { spans, details } = timer.take();
    expect(Object.fromEntries(spans)).toEqual({
      autograd: { ms: 10 - 3 - 2 - 1, calls: 1 },
      'relu.backward': { ms: 2, calls: 1 },
      zero: { ms: 1, calls: 1 },
      'conv.gemm.weight': { ms: 3, calls: 2 },
    });
    expect(details).toEqual([
      { span: 'conv.gemm.weight', detail: 'a', ms: 2, calls: 1 },
      { span: 'conv.gemm.weight', detail: 'b', ms: 1, calls: 1 },
    ]);
    // A take starts afresh.
    expect(timer.take()).toEqual({ spans: new Map(), details: [] });
  });

  test('refuses an end without a begin, and a take while a span is open', () => {
    const timer = new SpanTimer(() => 0);
    expect(() => timer.end()).toThrow(/without begin/);
    timer.begin('batch');
    expect(() => timer.take()).toThrow(/still open/);
  });
});
