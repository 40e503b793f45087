// `npm run train`: trains a model (the reference MLP by default, or any --arch spec) headlessly, evaluates the test set after each
// epoch, writes the weights (the app's safetensors format, loadable by PyTorch) and ends
// with one JSON line on stdout that scripts can read. With --record, the run is also kept in
// the runs folder (its curves, settings and weights), where the app lists it beside its own.
//
// Exit codes: 0 done, 1 the run failed (e.g. the loss diverged, the file could not be
// written), 2 the command line is wrong.

import { trainingProblem } from '../../shared/model/cost';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { enableParallel, shutdownParallel } from '../../engine/parallel';
import type { Evaluation, EvaluationPoint, TrainConfig } from '../../shared/contract';
import { loadMnist, type MnistData } from '../data/loadMnist';
import { atomicWriteFile } from '../files/atomicWrite';
import { checkWritableDestination } from '../files/destination';
import { Trainer } from '../training/trainer';
import { DivergedError } from '../training/divergence';
import { encodeWeightsFile } from '../weights/encode';
import type { ModelSpec } from '../../shared/model/spec';
import { OPTIMIZERS } from '../../shared/optimizers';
import { SCHEDULES } from '../../shared/schedules';
import { defaultRunsDir } from '../files/dataDir';
import { RunStore } from '../runs/runStore';
import { DownsampledHistory } from '../training/history';
import { RunTracker } from '../training/runTracker';
import { parseTrainArgs, USAGE, UsageError, type TrainCliOptions } from './args';
import { describeSpec, modelFromOptions } from './modelOption';
import { ProgressBar, type ProgressStream } from './progress';
import { messageOf } from '../../shared/messageOf';

export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: ProgressStream;
  /** Injected so tests can train on a slice of MNIST. */
  loadData?: () => MnistData;
}

export interface TrainSummary {
  /** On the full test set after the last step, in [0, 1]. */
  testAccuracy: number;
  steps: number;
  /** Wall time of the whole run: loading the data, training, evaluations and writing the file. */
  seconds: number;
  /** Training throughput, measured over the training steps only. */
  samplesPerSecond: number;
  /** With --record: the kept run's id and name. */
  run?: { id: string; name: string };
}

export async function runTrainCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let options: TrainCliOptions;
  let model: ModelSpec;
  try {
    const parsed = parseTrainArgs(argv);
    if (parsed.kind === 'help') {
      io.stdout.write(USAGE);
      return 0;
    }
    options = parsed.options;
    model = await modelFromOptions(options);
    // Before the data and the threads: a step at this batch size must fit the memory budget.
    const tooBig = trainingProblem(model, options.batchSize);
    if (tooBig) throw new UsageError(`${options.arch === null ? 'the model' : `--arch ${options.arch}`} at --batch-size ${options.batchSize}: ${tooBig}`);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`error: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  try {
    // Before loading data and training: a bad --out must not cost the whole run.
    await checkWritableDestination(options.out);
    if (options.record) await mkdir(runsDirOf(options), { recursive: true });
    // The same matmul path as the app's training worker: the WASM kernel on the pool
    // (default size: DIGITRAIN_THREADS or the machine's cores).
    const pool = enableParallel(options.threads === null ? {} : { threads: options.threads });
    io.stderr.write(`matrix products on ${pool.threads} threads (${pool.kernel} kernel)\n`);
    const summary = await train(options, model, io);
    io.stdout.write(`${JSON.stringify(summary)}\n`);
    return 0;
  } catch (error) {
    io.stderr.write(`\ntrain failed: ${messageOf(error)}\n`);
    return 1;
  } finally {
    // Always: live worker threads would keep the process from exiting.
    await shutdownParallel();
  }
}

async function train(options: TrainCliOptions, model: ModelSpec, io: CliIo): Promise<TrainSummary> {
  const started = performance.now();
  const data = (io.loadData ?? loadMnist)();
  const stepsPerEpoch = Math.ceil(data.train.count / options.batchSize);
  const config: TrainConfig = {
    model,
    // The flags were checked against the registry's ranges; the optimizer's and schedule's defaults fill in the rest.
    optimizer: {
      type: options.optimizer,
      hyper: { ...OPTIMIZERS[options.optimizer].defaults, ...options.hyper },
      schedule: { type: options.schedule, hyper: { ...SCHEDULES[options.schedule].defaults, ...options.scheduleHyper } },
    },
    batchSize: options.batchSize,
    epochs: options.steps === null ? options.epochs : null,
    seed: options.seed,
    evalEvery: stepsPerEpoch, // what this loop does: evaluate at the end of each epoch
    labelSmoothing: options.labelSmoothing,
    earlyStopping: null,
    mixMyDigits: null,
  };
  const trainer = new Trainer(data, config);
  const totalSteps = options.steps ?? Math.ceil((options.epochs * data.train.count) / options.batchSize);
  const out = resolve(options.out);
  const hyper = Object.entries(config.optimizer.hyper)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const schedule =
    config.optimizer.schedule?.type === 'constant'
      ? ''
      : `, ${options.schedule} schedule (${Object.entries(config.optimizer.schedule?.hyper ?? {})
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')})`;
  const smoothing = config.labelSmoothing > 0 ? `, label smoothing ${config.labelSmoothing}` : '';
  io.stderr.write(
    `training ${describeSpec(model)} with ${options.optimizer} (${hyper}, batch ${options.batchSize}${schedule}${smoothing}) ` +
      `for ${totalSteps} steps on ${data.train.count} images, seed ${options.seed}\n`,
  );
  // What --record keeps besides the weights: the curves, the evaluations and the time.
  const history = new DownsampledHistory();
  const evaluations: EvaluationPoint[] = [];
  const tracker = new RunTracker(null, 0, () => performance.now(), 'cli');
  tracker.startTraining();

  const bar = new ProgressBar(io.stderr, totalSteps, options.batchSize);
  let trainingMs = 0;
  let evaluation: Evaluation | null = null;
  for (let step = 1; step <= totalSteps; step++) {
    const before = performance.now();
    const epochBefore = Math.floor(trainer.epoch);
    let result: { loss: number; accuracy: number };
    try {
      result = trainer.trainStep();
    } catch (error) {
      if (!(error instanceof DivergedError)) throw error;
      bar.finish();
      throw new Error(`the loss became ${error.loss} at step ${error.step}; try a smaller --lr (nothing was written)`);
    }
    const { loss, accuracy } = result;
    trainingMs += performance.now() - before;
    bar.update({ step, loss, accuracy });
    history.push(step, loss, accuracy);
    if (step % 50 === 0) tracker.mark(step, trainer.epoch);
    const epochEnded = Math.floor(trainer.epoch) > epochBefore;
    if (epochEnded || step === totalSteps) {
      evaluation = trainer.evaluate();
      evaluations.push({ step, testLoss: evaluation.testLoss, testAccuracy: evaluation.testAccuracy });
      bar.log(`epoch ${trainer.epoch.toFixed(2)} (step ${step}): test accuracy ${(evaluation.testAccuracy * 100).toFixed(2)}%, ` + `test loss ${evaluation.testLoss.toFixed(4)}`);
    }
  }
  bar.finish();
  if (!evaluation) throw new Error('no training steps were run');

  const bytes = encodeWeightsFile({
    params: trainer.weights(),
    config: trainer.config,
    step: trainer.step,
    testAccuracy: evaluation.testAccuracy,
  });
  await atomicWriteFile(options.out, bytes); // errors name the path as the user gave it
  io.stderr.write(`wrote ${out} (${bytes.length} bytes)\n`);

  let run: TrainSummary['run'];
  if (options.record) {
    tracker.stopTraining();
    const state = { config: trainer.config, step: trainer.step, epoch: trainer.epoch, lastEvaluation: evaluation, history: { ...history.snapshot(), evaluations } };
    const store = new RunStore(runsDirOf(options));
    const saved = await store.save({ ...tracker.record(state), name: options.name }, bytes);
    run = { id: saved.id, name: saved.name };
    io.stderr.write(`recorded the run as "${saved.name}" in ${store.dir}\n`);
  }

  return {
    testAccuracy: evaluation.testAccuracy,
    steps: trainer.step,
    seconds: round((performance.now() - started) / 1000, 3),
    samplesPerSecond: Math.round((trainer.samplesSeen * 1000) / trainingMs),
    ...(run ? { run } : {}),
  };
}

function runsDirOf(options: TrainCliOptions): string {
  return resolve(options.runsDir ?? defaultRunsDir());
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
