// npm run bench [-- --quick] [--torch] [--no-tfjs] [--threads N] [--rounds N] [--threshold] [--cnn-only]
//                [--ood [--ood-image FILE]... [--steps N]]  (the out-of-distribution check instead: bench/oodBench.ts)
//                [--profile ARCH]  (a preset's training step op by op, ours beside PyTorch's, instead: bench/profileBench.ts)
//
// Digitrain's matmul kernels and training loop, the same on tfjs-backend-wasm, and with
// --torch the same on PyTorch in alternating rounds, in one run on one machine. Prints
// readable tables, then one JSON line with every figure.
// A benchmark, not a test: nothing here fails on a slow machine.
import { availableParallelism, cpus, loadavg } from 'node:os';
import { wasmUnavailableReason } from '../src/engine/parallel';
import { benchAppOverhead, benchAppOverheadOneCore } from './appBench';
import { positiveInteger } from './flags';
import { benchMatmul, copyShare, type MatmulRow } from './matmulBench';
import { benchTfjsMatmul, benchTfjsTraining, initTfjsWasm } from './tfjsBench';
import { benchThreshold } from './threshold';
import { TorchSide, torchUnavailableReason, TORCH_MALLOC_TUNING } from './torchBench';
import { printableConvLayers, printableProfile, profileStep, type ProfileResult } from './profileBench';
import { isPresetName, PRESET_NAMES, type PresetName } from '../src/shared/model/presets';
import { benchLongRun, benchThroughput, type ThroughputRow } from './trainingBench';
import { benchCnnTraining, benchConv2, type CnnTrainingResult, type ConvRow } from './cnnBench';
import { benchConvDirect, type DirectRow } from './convDirectBench';
import { benchOutOfDistribution } from './oodBench';

interface Flags {
  quick: boolean;
  tfjs: boolean;
  torch: boolean;
  threads: number;
  rounds: number | null;
  threshold: boolean;
  /** Only the CNN figures (conv2 GFLOPS, cnn training vs tfjs). */
  cnnOnly: boolean;
  /** Only the out-of-distribution check's rates (bench/oodBench.ts), with these photos or screenshots. */
  ood: { images: string[]; steps: number } | null;
  /** Only the per-op profile of this preset's training step (bench/profileBench.ts). */
  profile: PresetName | null;
  /** Whether --threads was given (the profile then uses it; else one thread on both sides). */
  threadsGiven: boolean;
}

const USAGE = `usage: npm run bench -- [--quick] [--torch] [--no-tfjs] [--threads N] [--rounds N] [--threshold] [--cnn-only] | --ood [--ood-image FILE]... [--steps N] | --profile ARCH [--quick] [--threads N] (ARCH: ${PRESET_NAMES.join(', ')})`;

function parseFlags(argv: string[]): Flags {
  const flags: Flags = { quick: false, tfjs: true, torch: false, threads: availableParallelism(), rounds: null, threshold: false, cnnOnly: false, ood: null, profile: null, threadsGiven: false };
  const count = (arg: string, text: string | undefined): number => positiveInteger(arg, text, USAGE);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') flags.quick = true;
    else if (arg === '--no-tfjs') flags.tfjs = false;
    else if (arg === '--tfjs') flags.tfjs = true;
    else if (arg === '--torch') flags.torch = true;
    else if (arg === '--threshold') flags.threshold = true;
    else if (arg === '--cnn-only') flags.cnnOnly = true;
    else if (arg === '--ood') flags.ood ??= { images: [], steps: 3750 };
    else if (arg === '--ood-image') (flags.ood ??= { images: [], steps: 3750 }).images.push(argv[++i]);
    else if (arg === '--steps') (flags.ood ??= { images: [], steps: 3750 }).steps = count(arg, argv[++i]);
    else if (arg === '--threads') {
      flags.threads = count(arg, argv[++i]);
      flags.threadsGiven = true;
    } else if (arg === '--rounds') flags.rounds = count(arg, argv[++i]);
    else if (arg === '--profile') {
      const name = argv[++i];
      if (!isPresetName(name)) throw new Error(`--profile needs a preset (${PRESET_NAMES.join(', ')}), got ${name}\n${USAGE}`);
      flags.profile = name;
    } else throw new Error(`unknown flag ${arg}\n${USAGE}`);
  }
  return flags;
}

function table(title: string, rows: object[]): void {
  if (rows.length === 0) return;
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cells = rows.map((r) => keys.map((k) => String((r as Record<string, unknown>)[k] ?? '—')));
  const widths = keys.map((k, i) => Math.max(k.length, ...cells.map((c) => c[i].length)));
  const line = (values: string[]): string => values.map((v, i) => v.padEnd(widths[i])).join('  ');
  console.log(`\n${title}\n${line(keys)}\n${widths.map((w) => '─'.repeat(w)).join('  ')}`);
  for (const c of cells) console.log(line(c));
}

async function startTorch(flags: Flags, threadCounts: number[]): Promise<TorchSide | null> {
  if (!flags.torch && !flags.profile) return null;
  const reason = torchUnavailableReason();
  if (reason) {
    console.log(reason);
    return null;
  }
  const torch = await TorchSide.start(threadCounts);
  const tuning = Object.entries(TORCH_MALLOC_TUNING)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const how = flags.profile ? 'profiled after ours' : "rounds alternate ours and PyTorch's";
  console.log(`PyTorch ${torch.version} alongside (one process per thread count; ${tuning}), ${how}`);
  return torch;
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const budget = flags.quick ? 400 : 1500;
  const trainBudget = flags.quick ? 1500 : 5000;
  const longSteps = flags.quick ? 12_000 : 20_000;
  const rounds = flags.rounds ?? (flags.torch ? (flags.quick ? 3 : 5) : 1);
  const threadCounts = flags.threads === 1 ? [1] : [1, flags.threads];
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(), node: process.version, loadAverage: loadavg().map((l) => round2(l)) };
  console.log(`Digitrain benchmark — ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}${flags.quick ? ' (quick)' : ''}; load average ${machine.loadAverage.join(' ')}`);
  const wasmProblem = wasmUnavailableReason();
  if (wasmProblem) console.log(`WASM kernel unavailable, using the TypeScript kernel: ${wasmProblem}`);

  if (flags.ood) {
    const rows = await benchOutOfDistribution(flags.ood.images, flags.ood.steps);
    table(
      `Out-of-distribution check: share flagged after ${flags.ood.steps} steps (batch 32, Adam)`,
      rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' ? `${(100 * v).toFixed(1)} %` : v]))),
    );
    console.log(JSON.stringify({ bench: 'digitrain-ood', machine, rows }));
    return;
  }

  if (flags.profile) {
    await profile(flags.profile, flags, machine);
    return;
  }

  if (flags.cnnOnly) {
    const cnn = await cnnFigures(flags, threadCounts);
    let convnets: ThroughputRow[] = [];
    const torch = await startTorch(flags, threadCounts);
    try {
      if (torch) convnets = await convnetRows(threadCounts, trainBudget, rounds, torch);
    } finally {
      torch?.close();
    }
    const summary = torch ? convnetSummary(convnets, flags.threads) : null;
    table(`Training throughput, convolutional presets (Adam, random batches of real MNIST; PyTorch ${torch?.version} in ${rounds} alternating rounds, medians)`, convnets);
    if (summary) table("Against PyTorch, convolutional presets (ours on the full pool ÷ PyTorch's best thread count, samples/s)", [summary]);
    console.log(JSON.stringify({ bench: 'digitrain-cnn', quick: flags.quick, rounds, machine, torch: torch?.version ?? null, ...cnn, convnets, summary }));
    return;
  }

  // First, while the process is fresh, so its RSS reflects training alone (tfjs and the big
  // matmuls below leave freed-but-kept memory behind). Quick mode stops at 97 %; the full run
  // goes on to 20k steps for the memory figure.
  const long = await benchLongRun(flags.threads, longSteps, flags.quick);

  const torch = await startTorch(flags, threadCounts);
  let matmul: MatmulRow[];
  const training: ThroughputRow[] = [];
  try {
    matmul = await benchMatmul(threadCounts, budget, rounds, torch);
    for (const batch of [32, 256]) training.push(...(await benchThroughput(batch, threadCounts, trainBudget, rounds, torch)));
    if (torch) training.push(...(await convnetRows(threadCounts, trainBudget, rounds, torch)));
  } finally {
    torch?.close();
  }
  const copy = copyShare(budget);

  const app = await benchAppOverhead(flags.threads, 1, flags.quick ? 8 : 16);
  const appOneCore = benchAppOverheadOneCore(1, flags.quick ? 8 : 16);

  let tfjsEngine: string | null = null;
  if (flags.tfjs) {
    tfjsEngine = await initTfjsWasm();
    matmul.push(...(await benchTfjsMatmul(tfjsEngine, budget)));
    for (const batch of [32, 256]) training.push(await benchTfjsTraining(tfjsEngine, batch, trainBudget));
  }

  const vs = torch ? ` and PyTorch ${torch.version} (${rounds} alternating rounds, medians)` : '';
  table(`Matmul (GFLOPS; operands in WASM memory as the training step's tensors)${vs}`, matmul);
  console.log(`operands in ordinary arrays instead: copying them in and out of WASM memory takes ${copy.copyMicros} µs of a ${copy.matmulMicros} µs 32×784×128 matmul`);
  table(
    `Training throughput (784→128→10 MLP, Adam, random batches of real MNIST)${vs}`,
    training.filter((r) => r.model === 'mlp'),
  );
  table(
    `Training throughput, convolutional presets (Adam, random batches of real MNIST, as npm run train -- --arch cnn / lenet)${vs}`,
    training.filter((r) => r.model !== 'mlp'),
  );
  table(`The app's training worker (TrainingHost) vs a plain loop like npm run train, default settings, warm, alternating 1 s windows (ratio: median of the pairs')`, [
    { threads: flags.threads, pinned: 'no', ...app },
    'unavailable' in appOneCore ? { threads: 1, pinned: appOneCore.unavailable } : { threads: 1, pinned: 'core 0', ...appOneCore },
  ]);
  table(`Default settings (Adam 1e-3, batch 32, evaluation every 1000 steps), ${flags.threads} threads`, [long]);

  const cnn = await cnnFigures(flags, threadCounts);

  let threshold = null;
  if (flags.threshold) {
    threshold = await benchThreshold(flags.threads, budget);
    table(`Calling thread alone vs ${flags.threads}-thread pool (A·Bᵀ)`, threshold.rows);
    console.log(`pool wins from ${threshold.crossoverFlops ?? 'no measured size'} FLOPs`);
  }

  const ratio = (ours: number | undefined, theirs: number | undefined): number | null => (ours && theirs ? Math.round((ours / theirs) * 100) / 100 : null);
  const ourTrain = (batch: number, threads = flags.threads) => training.find((r) => r.model === 'mlp' && r.batch === batch && r.threads === threads && r.engine.startsWith('digitrain'));
  const tfTrain = (batch: number) => training.find((r) => r.model === 'mlp' && r.batch === batch && r.engine === tfjsEngine);
  const ourMatmul = (shape: string, threads: number) => matmul.find((r) => r.shape === shape && r.threads === threads && !r.kernel.startsWith('tfjs'));
  const torchBest256 = Math.max(...threadCounts.map((t) => ourTrain(256, t)?.torchStepsPerSecond ?? 0));
  const summary = {
    batch32StepsPerSecondVsTfjs: ratio(ourTrain(32)?.stepsPerSecond, tfTrain(32)?.stepsPerSecond),
    batch256SamplesPerSecondVsTfjs: ratio(ourTrain(256)?.samplesPerSecond, tfTrain(256)?.samplesPerSecond),
    batch32VsTorch1Thread: ratio(ourTrain(32)?.stepsPerSecond, ourTrain(32, 1)?.torchStepsPerSecond),
    batch256VsTorchBest: ratio(ourTrain(256)?.stepsPerSecond, torchBest256 || undefined),
    gflops1024: ourMatmul('1024³', flags.threads)?.gflops ?? null,
    matmul1024VsTorch: ourMatmul('1024³', flags.threads)?.vsTorch ?? null,
    speedup1024: ratio(ourMatmul('1024³', flags.threads)?.gflops, ourMatmul('1024³', 1)?.gflops),
    rssGrowthMiB: Math.round((long.rssAfterMiB - long.rssBeforeMiB) * 10) / 10,
    gcMillisPer1000Steps: long.gcMillisPer1000Steps,
    appVsLoop: app.ratio,
    appVsLoopOneCore: 'unavailable' in appOneCore ? null : appOneCore.ratio,
    cnnSamplesPerSecondVsTfjs: cnn.training.find((r) => r.threads === flags.threads)?.ratio ?? null,
    // Null without --torch (no rows to compare).
    ...convnetSummary(training, flags.threads),
  };
  table('Against the targets (tfjs ≥2, ≥2; PyTorch ≥1.0, ≥0.8, 1024³ ≥0.6; speed-up ≥1.8; RSS <20 MiB; appVsLoop ≥0.95; cnn vs tfjs ≥2; cnn vs PyTorch ≥1.5, ≥1.5; lenet ≥1.2)', [summary]);
  console.log(`load average at the end: ${loadavg().map(round2).join(' ')}`);
  console.log(
    JSON.stringify({
      bench: 'digitrain',
      quick: flags.quick,
      rounds,
      machine,
      loadAverageAtEnd: loadavg().map(round2),
      torch: torch?.version ?? null,
      matmul,
      copy,
      training,
      app,
      appOneCore,
      long,
      threshold,
      cnn,
      summary,
    }),
  );
}

/** The convolutional presets' training rows against PyTorch: cnn at batch 32 and 256, lenet at 32. */
const CONVNET_ROWS: readonly { arch: PresetName; batch: number; key: string }[] = [
  { arch: 'cnn', batch: 32, key: 'cnnBatch32VsTorch' },
  { arch: 'cnn', batch: 256, key: 'cnnBatch256VsTorch' },
  { arch: 'lenet', batch: 32, key: 'lenetBatch32VsTorch' },
];

/** Training rows of the convolutional presets, alternating with PyTorch exactly as the MLP's rows do. */
async function convnetRows(threadCounts: number[], budgetMs: number, rounds: number, torch: TorchSide): Promise<ThroughputRow[]> {
  const rows: ThroughputRow[] = [];
  for (const { arch, batch } of CONVNET_ROWS) rows.push(...(await benchThroughput(batch, threadCounts, budgetMs, rounds, torch, arch)));
  return rows;
}

/** Ours on the full pool ÷ PyTorch's best thread count (samples/s), per convolutional row. */
function convnetSummary(rows: readonly ThroughputRow[], threads: number): Record<string, number | null> {
  const summary: Record<string, number | null> = {};
  for (const { arch, batch, key } of CONVNET_ROWS) {
    const same = rows.filter((r) => r.model === arch && r.batch === batch && r.engine.startsWith('digitrain'));
    const ours = same.find((r) => r.threads === threads)?.stepsPerSecond;
    const best = Math.max(0, ...same.map((r) => r.torchStepsPerSecond ?? 0));
    summary[key] = ours && best ? round2(ours / best) : null;
  }
  return summary;
}

/**
 * `--profile ARCH`: the step op by op at batch 32 and 256, ours beside PyTorch's with as many
 * threads: one unless --threads says otherwise (each kernel against PyTorch's, and what a busy
 * machine disturbs least: PyTorch's OpenMP threads lose most to other processes).
 */
async function profile(arch: PresetName, flags: Flags, machine: object): Promise<void> {
  const threads = flags.threadsGiven ? flags.threads : 1;
  const torch = await startTorch(flags, [threads]);
  const results: ProfileResult[] = [];
  try {
    for (const batch of [32, 256]) {
      const steps = flags.quick ? 10 : batch === 32 ? 40 : 20;
      const result = await profileStep(arch, batch, threads, steps, torch);
      results.push(result);
      const vs = torch ? `, PyTorch ${torch.version} beside it` : '';
      table(
        `${arch}, batch ${batch}, ${threads} thread(s): one training step op by op (ms per step and share of the profiled step; medians of ${steps} steps after a warm-up${vs})`,
        printableProfile(result),
      );
      if (result.convLayers.length > 0) {
        table(`${arch}, batch ${batch}: ours, each convolution apart (ms per step; the products' GFLOPS)`, printableConvLayers(result.convLayers));
      }
      if (result.unmappedTorchNames.length > 0) console.log(`PyTorch ops without a row (counted as other): ${result.unmappedTorchNames.join(', ')}`);
    }
  } finally {
    torch?.close();
  }
  console.log(`load average at the end: ${loadavg().map(round2).join(' ')}`);
  console.log(JSON.stringify({ bench: 'digitrain-profile', quick: flags.quick, machine, loadAverageAtEnd: loadavg().map(round2), torch: torch?.version ?? null, arch, threads, profiles: results }));
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** conv2 forward+backward GFLOPS, and cnn training against tfjs-wasm in alternating rounds. */
async function cnnFigures(flags: Flags, threadCounts: number[]): Promise<{ conv: ConvRow[]; direct: DirectRow[]; training: CnnTrainingResult[] }> {
  const conv: ConvRow[] = [];
  for (const threads of threadCounts) conv.push(await benchConv2(threads, flags.quick ? 500 : 2000));
  table('Convolution forward + backward (GFLOPS: forward, weight and input gradients)', conv);
  const direct = await benchConvDirect(flags.quick ? 100 : 300);
  table('Convolution forward, one thread, in WASM memory: im2col + gemm vs a direct kernel (GFLOPS per CPU-second; ratio > 1: direct faster)', direct);
  const training: CnnTrainingResult[] = [];
  if (flags.tfjs) {
    const engine = await initTfjsWasm();
    for (const threads of threadCounts) training.push(await benchCnnTraining(threads, engine, flags.quick ? 3 : 7, flags.quick ? 600 : 1500));
    table('cnn training, batch 32, Adam (samples/s; alternating rounds, ratio = median of per-round ratios, target ≥ 2)', training);
  }
  return { conv, direct, training };
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
