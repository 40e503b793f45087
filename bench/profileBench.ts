// `npm run bench -- --profile ARCH`: where one training step of a preset spends its time, op by
// op, ours beside PyTorch's on the same net, at batch 32 and 256.
//
// Ours: the app's Trainer (Adam 1e-3, random batches, as `npm run train -- --arch ARCH` trains)
// on the pool, with the engine's span recorder (src/engine/profile.ts) installed for the
// profiled steps only; the optimizer's step is marked through the Trainer's step probe.
// PyTorch: the same net built by the PyTorch export's code, each step under
// torch.autograd.profiler (bench/torch_bench.py). Both sides' figures are medians over the
// profiled steps, after a warm-up; each row's median separately, so rows need not add up to the
// total exactly. Profiling costs time of its own (PyTorch's profiler much more than our
// recorder): the step's time without it is printed beside the profiled total.
import { convDetail, setSpanRecorder, spanRecorder, SpanTimer, type ProfileSpan } from '../src/engine/profile';
import { describeModel } from '../src/shared/model/describe';
import { loadMnist } from '../src/main/data/loadMnist';
import { Trainer } from '../src/main/training/trainer';
import type { StepProbe } from '../src/main/training/health';
import { defaultConfig } from '../src/shared/contract';
import { presetSpec, type PresetName } from '../src/shared/model/presets';
import { OUR_CATEGORY, PROFILE_ROWS, torchCategory, knownTorchName, type Category } from './profileCategories';
import { median, round } from './timing';
import { torchModel, type TorchProfileStep, type TorchSide } from './torchBench';
import { withPool } from './trainingBench';

/** One side's steps: per step, milliseconds by row (the residue of the step's wall time in 'other'). */
interface SideSteps {
  steps: Map<Category, number>[];
  /** Ours only: per step, each convolution's spans (keyed `span detail`). */
  convSteps?: Map<string, number>[];
  walls: number[];
  /** Median step time without the profiler. */
  plainMs: number;
}

export interface ProfileTableRow {
  row: string;
  oursMs: number | null;
  oursShare: number | null;
  torchMs: number | null;
  torchShare: number | null;
}

export interface ProfileResult {
  arch: PresetName;
  batch: number;
  threads: number;
  steps: number;
  rows: ProfileTableRow[];
  oursTotalMs: number;
  oursPlainMs: number;
  torchTotalMs: number | null;
  torchPlainMs: number | null;
  /** PyTorch event names the row mapping does not know (they count as 'other'). */
  unmappedTorchNames: string[];
  /** Ours, each convolution layer apart. */
  convLayers: ConvLayerProfile[];
}

/** The conv spans of the per-layer table, in the order of a step. */
const CONV_SPANS = [
  'conv.im2col.forward',
  'conv.gemm.forward',
  'conv.layout.forward',
  'conv.bias',
  'conv.layout.backward',
  'conv.im2col.backward',
  'conv.gemm.weight',
  'conv.gemm.input',
  'conv.col2im',
] as const satisfies readonly ProfileSpan[];

export interface ConvLayerProfile {
  layer: string;
  shape: string;
  /** Median ms per step of each of the layer's spans. */
  ms: Record<(typeof CONV_SPANS)[number], number>;
  totalMs: number;
  /** Each product's GFLOPS (2·O·C·kH·kW·oH·oW·N FLOPs in its median time). */
  gflops: { forward: number | null; weight: number | null; input: number | null };
}

/** Adds the rest of each step's wall time (what no span or event covered) to 'other'. */
function withResidue(step: Map<Category, number>, wall: number): Map<Category, number> {
  let covered = 0;
  for (const ms of step.values()) covered += ms;
  step.set('other', (step.get('other') ?? 0) + Math.max(0, wall - covered));
  return step;
}

/** Our Trainer at `batch`: `steps` profiled steps after a warm-up, then as many unprofiled. */
export async function profileOurs(arch: PresetName, batch: number, threads: number, steps: number): Promise<SideSteps> {
  return withPool(threads, () => {
    const trainer = new Trainer(loadMnist(), { ...defaultConfig(), batchSize: batch, model: presetSpec(arch) });
    for (let i = 0; i < 20; i++) trainer.trainStep();
    const timer = new SpanTimer();
    // The optimizer's update, between backward and the end of the step (health.ts's probe points).
    const probe: StepProbe = { afterBackward: () => spanRecorder()?.begin('optimizer'), afterStep: () => spanRecorder()?.end() };
    const out: SideSteps = { steps: [], walls: [], plainMs: 0, convSteps: [] };
    const previous = setSpanRecorder(timer);
    try {
      // Warm up the recorder's paths too (the JIT compiles the ops' timed branches lazily).
      for (let i = 0; i < 10; i++) {
        trainer.trainStep(probe);
        timer.take();
      }
      for (let i = 0; i < steps; i++) {
        const start = performance.now();
        trainer.trainStep(probe);
        const wall = performance.now() - start;
        const step = new Map<Category, number>();
        const { spans, details } = timer.take();
        for (const [span, { ms }] of spans) {
          const category = OUR_CATEGORY[span];
          step.set(category, (step.get(category) ?? 0) + ms);
        }
        out.steps.push(withResidue(step, wall));
        out.convSteps?.push(new Map(details.map((d) => [`${d.span} ${d.detail}`, d.ms])));
        out.walls.push(wall);
      }
    } finally {
      setSpanRecorder(previous);
    }
    const plain: number[] = [];
    for (let i = 0; i < steps; i++) {
      const start = performance.now();
      trainer.trainStep();
      plain.push(performance.now() - start);
    }
    out.plainMs = median(plain);
    return out;
  });
}

/** PyTorch's profiled steps sorted into rows; `unknown` collects names the mapping does not know. */
export function torchSteps(profiled: TorchProfileStep[], unknown: Set<string>): Map<Category, number>[] {
  return profiled.map((step) => {
    const rows = new Map<Category, number>();
    for (const [path, ms] of step.ops) {
      for (const name of path) if (!knownTorchName(name)) unknown.add(name);
      const category = torchCategory(path);
      rows.set(category, (rows.get(category) ?? 0) + ms);
    }
    return withResidue(rows, step.wallMs);
  });
}

const medianOf = (steps: Map<Category, number>[], pick: (step: Map<Category, number>) => number): number => median(steps.map(pick));

/** The table: each row's median ms per step and its share of the median profiled step, group subtotals first. */
export function profileRows(ours: SideSteps, torch: SideSteps | null): ProfileTableRow[] {
  const oursTotal = median(ours.walls);
  const torchTotal = torch ? median(torch.walls) : 0;
  const figure = (side: SideSteps | null, total: number, pick: (step: Map<Category, number>) => number) => {
    if (!side) return { ms: null, share: null };
    const ms = medianOf(side.steps, pick);
    return { ms: round(ms, 3), share: total > 0 ? round((100 * ms) / total, 1) : null };
  };
  const line = (label: string, pick: (step: Map<Category, number>) => number): ProfileTableRow => {
    const a = figure(ours, oursTotal, pick);
    const b = figure(torch, torchTotal, pick);
    return { row: label, oursMs: a.ms, oursShare: a.share, torchMs: b.ms, torchShare: b.share };
  };
  const rows: ProfileTableRow[] = [];
  let group: string | null = null;
  for (const r of PROFILE_ROWS) {
    if (r.group !== group && r.group !== null) {
      const members = PROFILE_ROWS.filter((m) => m.group === r.group).map((m) => m.id);
      rows.push(line(`${r.group}, all`, (step) => members.reduce((sum, id) => sum + (step.get(id) ?? 0), 0)));
    }
    group = r.group;
    rows.push(line(r.group ? `  ${r.label}` : r.label, (step) => step.get(r.id) ?? 0));
  }
  return rows;
}

/** Each convolution of the preset apart: its spans' medians and its products' GFLOPS. */
export function convLayers(arch: PresetName, batch: number, ours: SideSteps): ConvLayerProfile[] {
  const steps = ours.convSteps ?? [];
  return describeModel(presetSpec(arch)).layers.flatMap((info) => {
    if (info.layer.type !== 'conv2d') return [];
    const [c, h, w] = info.input;
    const [o, oH, oW] = info.output;
    const k = info.layer.kernel;
    const detail = convDetail(c, o, k, k, h, w, oH, oW);
    const ms = Object.fromEntries(CONV_SPANS.map((span) => [span, round(median(steps.map((s) => s.get(`${span} ${detail}`) ?? 0)), 3)])) as ConvLayerProfile['ms'];
    const flops = 2 * o * c * k * k * oH * oW * batch;
    const gflops = (t: number): number | null => (t > 0 ? round(flops / (t * 1e6), 1) : null);
    return [
      {
        layer: info.layer.name,
        shape: detail,
        ms,
        totalMs: round(
          CONV_SPANS.reduce((sum, span) => sum + ms[span], 0),
          3,
        ),
        gflops: { forward: gflops(ms['conv.gemm.forward']), weight: gflops(ms['conv.gemm.weight']), input: gflops(ms['conv.gemm.input']) },
      },
    ];
  });
}

/** Printable cells of the per-layer table. */
export function printableConvLayers(layers: ConvLayerProfile[]): Record<string, string>[] {
  return layers.map((l) => ({
    layer: `${l.layer} (${l.shape})`,
    'fwd: im2col': l.ms['conv.im2col.forward'].toFixed(3),
    'W·cols': `${l.ms['conv.gemm.forward'].toFixed(3)} (${l.gflops.forward ?? '—'} GF/s)`,
    'layout+bias': l.ms['conv.layout.forward'].toFixed(3),
    'bwd: bias': l.ms['conv.bias'].toFixed(3),
    layout: l.ms['conv.layout.backward'].toFixed(3),
    im2col: l.ms['conv.im2col.backward'].toFixed(3),
    'G·colsᵀ': `${l.ms['conv.gemm.weight'].toFixed(3)} (${l.gflops.weight ?? '—'} GF/s)`,
    'Wᵀ·G': `${l.ms['conv.gemm.input'].toFixed(3)} (${l.gflops.input ?? '—'} GF/s)`,
    col2im: l.ms['conv.col2im'].toFixed(3),
    'all ms': l.totalMs.toFixed(3),
  }));
}

/** The profile of `arch` at `batch`, ours and (when `torch` is given) PyTorch's with as many threads. */
export async function profileStep(arch: PresetName, batch: number, threads: number, steps: number, torch: TorchSide | null): Promise<ProfileResult> {
  const ours = await profileOurs(arch, batch, threads, steps);
  let theirs: SideSteps | null = null;
  const unknown = new Set<string>();
  if (torch) {
    const profiled = await torch.profile(batch, threads, steps, torchModel(presetSpec(arch)));
    theirs = { steps: torchSteps(profiled.steps, unknown), walls: profiled.steps.map((s) => s.wallMs), plainMs: profiled.plainMs };
  }
  return {
    arch,
    batch,
    threads,
    steps,
    rows: profileRows(ours, theirs),
    oursTotalMs: round(median(ours.walls), 3),
    oursPlainMs: round(ours.plainMs, 3),
    torchTotalMs: theirs ? round(median(theirs.walls), 3) : null,
    torchPlainMs: theirs ? round(theirs.plainMs, 3) : null,
    unmappedTorchNames: [...unknown].sort(),
    convLayers: convLayers(arch, batch, ours),
  };
}

/** Printable cells for the bench's table(): ms and shares, '—' where a side has nothing. */
export function printableProfile(result: ProfileResult): Record<string, string>[] {
  const ms = (v: number | null): string => (v === null ? '—' : v === 0 ? '·' : v.toFixed(3));
  const share = (v: number | null, msValue: number | null): string => (v === null || !msValue ? '' : `${v.toFixed(1)} %`);
  // Rows neither side has (no dropout in the net, say) stay in the JSON but not on screen.
  const rows = result.rows
    .filter((r) => r.oursMs || r.torchMs)
    .map((r) => ({
      op: r.row,
      'ours ms/step': ms(r.oursMs),
      'ours share': share(r.oursShare, r.oursMs),
      'PyTorch ms/step': ms(r.torchMs),
      'PyTorch share': share(r.torchShare, r.torchMs),
    }));
  const total = (label: string, a: number | null, b: number | null) => ({ op: label, 'ours ms/step': ms(a), 'ours share': '', 'PyTorch ms/step': ms(b), 'PyTorch share': '' });
  rows.push(total('total, profiled (median step)', result.oursTotalMs, result.torchTotalMs));
  rows.push(total('step without profiling (median)', result.oursPlainMs, result.torchPlainMs));
  return rows;
}
