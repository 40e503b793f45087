// npm run bench [-- --quick] [--no-tfjs] [--threads N] [--threshold] [--cnn-only]
//
// Digitrain's matmul kernels and training loop, and the same on tfjs-backend-wasm, in one
// run on one machine. Prints readable tables, then one JSON line with every figure.
// A benchmark, not a test: nothing here fails on a slow machine.
import { availableParallelism, cpus } from 'node:os';
import { wasmUnavailableReason } from '../src/engine/parallel';
import { benchMatmul, copyShare, type MatmulRow } from './matmulBench';
import { benchTfjsMatmul, benchTfjsTraining, initTfjsWasm } from './tfjsBench';
import { benchThreshold } from './threshold';
import { benchAppOverhead } from './appBench';
import { benchLongRun, benchThroughput, type ThroughputRow } from './trainingBench';
import { benchCnnTraining, benchConv2, type CnnTrainingResult, type ConvRow } from './cnnBench';
import { benchConvDirect, type DirectRow } from './convDirectBench';

interface Flags {
  quick: boolean;
  tfjs: boolean;
  threads: number;
  threshold: boolean;
  /** Only the CNN figures (conv2 GFLOPS, cnn training vs tfjs). */
  cnnOnly: boolean;
}

function parseFlags(argv: string[]): Flags {
  const flags: Flags = { quick: false, tfjs: true, threads: availableParallelism(), threshold: false, cnnOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') flags.quick = true;
    else if (arg === '--no-tfjs') flags.tfjs = false;
    else if (arg === '--tfjs') flags.tfjs = true;
    else if (arg === '--threshold') flags.threshold = true;
    else if (arg === '--cnn-only') flags.cnnOnly = true;
    else if (arg === '--threads') {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 1) throw new Error(`--threads needs a positive integer, got ${argv[i]}`);
      flags.threads = n;
    } else throw new Error(`unknown flag ${arg}\nusage: npm run bench -- [--quick] [--no-tfjs] [--threads N] [--threshold] [--cnn-only]`);
  }
  return flags;
}

function table(title: string, rows: object[]): void {
  if (rows.length === 0) return;
  const keys = Object.keys(rows[0]);
  const cells = rows.map((r) => keys.map((k) => String((r as Record<string, unknown>)[k] ?? '—')));
  const widths = keys.map((k, i) => Math.max(k.length, ...cells.map((c) => c[i].length)));
  const line = (values: string[]): string => values.map((v, i) => v.padEnd(widths[i])).join('  ');
  console.log(`\n${title}\n${line(keys)}\n${widths.map((w) => '─'.repeat(w)).join('  ')}`);
  for (const c of cells) console.log(line(c));
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const budget = flags.quick ? 400 : 1500;
  const trainBudget = flags.quick ? 1500 : 5000;
  const longSteps = flags.quick ? 12_000 : 20_000;
  const threadCounts = flags.threads === 1 ? [1] : [1, flags.threads];
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(), node: process.version };
  console.log(`Digitrain benchmark — ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}${flags.quick ? ' (quick)' : ''}`);
  const wasmProblem = wasmUnavailableReason();
  if (wasmProblem) console.log(`WASM kernel unavailable, using the TypeScript kernel: ${wasmProblem}`);

  if (flags.cnnOnly) {
    const cnn = await cnnFigures(flags, threadCounts);
    console.log(JSON.stringify({ bench: 'digitrain-cnn', quick: flags.quick, machine, ...cnn }));
    return;
  }

  // First, while the process is fresh, so its RSS reflects training alone (tfjs and the big
  // matmuls below leave freed-but-kept memory behind). Quick mode stops at 97 %; the full run
  // goes on to 20k steps for the memory figure.
  const long = await benchLongRun(flags.threads, longSteps, flags.quick);

  const matmul: MatmulRow[] = await benchMatmul(threadCounts, budget);
  const copy = copyShare(budget);
  const training: ThroughputRow[] = [];
  for (const threads of threadCounts) for (const batch of [32, 256]) training.push(await benchThroughput(batch, threads, trainBudget));

  const app = await benchAppOverhead(flags.threads, flags.quick ? 3 : 6, flags.quick ? 2 : 3);

  let tfjsEngine: string | null = null;
  if (flags.tfjs) {
    tfjsEngine = await initTfjsWasm();
    matmul.push(...(await benchTfjsMatmul(tfjsEngine, budget)));
    for (const batch of [32, 256]) training.push(await benchTfjsTraining(tfjsEngine, batch, trainBudget));
  }

  table('Matmul (GFLOPS; ours include copying operands into WASM memory)', matmul);
  console.log(`copy in/out of WASM memory for 32×784×128 on one thread: ${copy.copyMicros} µs of ${copy.matmulMicros} µs`);
  table('Training throughput (784→128→10 MLP, Adam, random batches of real MNIST)', training);
  table(`The app's training worker (TrainingHost) vs a plain loop like npm run train, default settings, ${flags.threads} threads`, [app]);
  table(`Default settings (Adam 1e-3, batch 32, evaluation every 1000 steps), ${flags.threads} threads`, [long]);

  const cnn = await cnnFigures(flags, threadCounts);


  let threshold = null;
  if (flags.threshold) {
    threshold = await benchThreshold(flags.threads, budget);
    table(`Calling thread alone vs ${flags.threads}-thread pool (A·Bᵀ)`, threshold.rows);
    console.log(`pool wins from ${threshold.crossoverFlops ?? 'no measured size'} FLOPs`);
  }

  const ratio = (ours: number | undefined, theirs: number | undefined): number | null =>
    ours && theirs ? Math.round((ours / theirs) * 100) / 100 : null;
  const ourTrain = (batch: number) => training.find((r) => r.batch === batch && r.threads === flags.threads && r.engine.startsWith('digitrain'));
  const tfTrain = (batch: number) => training.find((r) => r.batch === batch && r.engine === tfjsEngine);
  const gf = (shape: string, threads: number) => matmul.find((r) => r.shape === shape && r.threads === threads && !r.kernel.startsWith('tfjs'))?.gflops;
  const summary = {
    batch32StepsPerSecondVsTfjs: ratio(ourTrain(32)?.stepsPerSecond, tfTrain(32)?.stepsPerSecond),
    batch256SamplesPerSecondVsTfjs: ratio(ourTrain(256)?.samplesPerSecond, tfTrain(256)?.samplesPerSecond),
    gflops1024: gf('1024³', flags.threads) ?? null,
    speedup1024: ratio(gf('1024³', flags.threads), gf('1024³', 1)),
    rssGrowthMiB: Math.round((long.rssAfterMiB - long.rssBeforeMiB) * 10) / 10,
    appVsLoop: app.ratio,
    cnnSamplesPerSecondVsTfjs: cnn.training.find((r) => r.threads === flags.threads)?.ratio ?? null,
  };
  table('Against the targets (≥2, ≥2, ≥40, ≥1.8, <20, appVsLoop 1 = the app costs nothing over the loop, cnn ≥2)', [summary]);
  console.log(JSON.stringify({ bench: 'digitrain', quick: flags.quick, machine, matmul, copy, training, app, long, threshold, cnn, summary }));
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
