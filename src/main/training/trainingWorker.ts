// The training worker thread: owns the model, the optimizer and MNIST, and answers the
// host's commands (see shared/workerProtocol.ts). Start it with
// `spawnWorker(new URL('./trainingWorker.js', import.meta.url))` (TrainingHost does).
import { parentPort, workerData } from 'node:worker_threads';
import { enableParallel } from '../../engine/parallel';
import type { TrainConfig } from '../../shared/contract';
import type { WorkerMessage } from '../../shared/workerProtocol';
import { loadMnist } from '../data/loadMnist';
import { createWeightsCommands } from '../weights/weightsCommands';
import { answerCommand, type CommandHandlers } from './commands';
import { CancelBoard, RunningCommand } from './cancelBoard';
import { Inspector } from './inspect/inspector';
import { myDigitsData } from './myDigitsData';
import { recordedRun } from './recordedRun';
import { TrainingSession, type Emit } from './session';
import { blockFor, testStepDelayMs } from './testStepDelay';
import { lowerThreadPriority } from './threadPriority';
import { Trainer } from './trainer';
import { messageOf } from '../../shared/messageOf';

const port = parentPort;
if (!port) throw new Error('trainingWorker must run in a worker thread');

// Below the window's priority, before the pool starts so that its workers inherit it.
lowerThreadPriority();

// Matmuls fan out to a worker pool (WASM SIMD kernel when built); its workers start on the
// first matmul big enough to share. Size: $DIGITRAIN_THREADS, else the machine's cores.
enableParallel();

function post(message: WorkerMessage): void {
  port!.postMessage(message);
}

// MNIST is read on first use (~0.5 s), so getState answers at once after start-up.
let data: ReturnType<typeof loadMnist> | null = null;
const stepDelayMs = testStepDelayMs();
function createTrainer(config: TrainConfig): Trainer {
  data ??= loadMnist();
  const trainer = new Trainer(data, config);
  if (stepDelayMs > 0) {
    // Tests only (see testStepDelay.ts): each step takes this much longer.
    const step = trainer.trainStep.bind(trainer);
    trainer.trainStep = () => {
      blockFor(stepDelayMs);
      return step();
    };
  }
  return trainer;
}

const emit: Emit = (event, payload) => post({ kind: 'event', event, payload });
// Each checkpoint of a run goes to the host, which keeps it in the runs folder (runs/runStore.ts).
const session = new TrainingSession({ createTrainer, emit, recordRun: (checkpoint) => post({ kind: 'run', recorded: recordedRun(checkpoint) }) });
const weights = createWeightsCommands(session);
// The commands the host called off (cancelBoard.ts), in memory it shares with this thread.
const board = new CancelBoard((workerData as { cancelBoard?: SharedArrayBuffer } | null)?.cancelBoard);
const running = new RunningCommand(board);
// The worker's trainers are Trainers (createTrainer above); the inspector reads their model and test set,
// and stops between chunks of it when its request is called off.
const inspector = new Inspector(() => ({ trainer: session.ensureTrainer() as Trainer, training: session.isTraining }), running.checkpoint);
// After the first answer (the page is up), the network is built and its weights sent: the page shows the
// initial weights at step 0, and MNIST and the kernels are ready before the first Train.
let prepared = false;
function prepareSoon(): void {
  if (prepared) return;
  prepared = true;
  setTimeout(() => {
    try {
      session.prepare();
    } catch (error) {
      emit('error', { message: `could not prepare the network: ${messageOf(error)}` });
    }
  }, 0);
}

const handlers: CommandHandlers = {
  getState: () => {
    const state = session.getState();
    prepareSoon();
    return state;
  },
  train: ({ config }) => session.train(config),
  applySettings: ({ config }) => session.applyLive(config),
  step: ({ config, count }) => session.step(config, count),
  stop: () => session.stop(),
  restoreBest: () => session.restoreBest(),
  reset: ({ config }) => session.reset(config),
  evaluate: () => session.evaluate(),
  classify: ({ pixels }) => session.classify(pixels),
  weightsFile: ({ kind }) => weights.weightsFile(kind),
  loadWeightsFile: (file) => weights.loadWeightsFile(file.name, file.bytes, file.run),
  setMyDigits: (digits) => {
    session.setMyDigits(myDigitsData(digits));
    return null;
  },
  evaluateMyDigits: () => session.evaluateMyDigits(),
  testPage: ({ query }) => inspector.testPage(query),
  inspectUnit: ({ query }) => inspector.inspectUnit(query),
  explain: ({ pixels }) => session.explain(pixels),
  getHealth: () => session.getHealth(),
  stepGraph: ({ query }) => session.stepGraph(query),
};

port.on(
  'message',
  (message: unknown) =>
    void answerCommand(
      message,
      handlers,
      running,
      board,
      (reply) => post(reply),
      // Nobody could be told the outcome, so the command is not run.
      (type) => emit('error', { message: `ignored a command without an id (type ${JSON.stringify(type)})` }),
    ),
);
