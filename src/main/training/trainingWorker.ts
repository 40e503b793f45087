// The training worker thread: owns the model, the optimizer and MNIST, and answers the
// host's commands (see shared/workerProtocol.ts). Start it with
// `spawnWorker(new URL('./trainingWorker.js', import.meta.url))` (TrainingHost does).
import { parentPort } from 'node:worker_threads';
import { enableParallel } from '../../engine/parallel';
import type { TrainConfig } from '../../shared/contract';
import type { WorkerMessage } from '../../shared/workerProtocol';
import { loadMnist } from '../data/loadMnist';
import { createCommandHandlers, dispatchCommand } from './commands';
import { TrainingSession, type Emit } from './session';
import { Trainer } from './trainer';

const port = parentPort;
if (!port) throw new Error('trainingWorker must run in a worker thread');

// Matmuls fan out to a worker pool (WASM SIMD kernel when built); its workers start on the
// first matmul big enough to share. Size: $DIGITRAIN_THREADS, else the machine's cores.
enableParallel();

function post(message: WorkerMessage, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

// MNIST is read on first use (~0.5 s), so getState answers at once after start-up.
let data: ReturnType<typeof loadMnist> | null = null;
function createTrainer(config: TrainConfig): Trainer {
  data ??= loadMnist();
  return new Trainer(data, config);
}

const emit: Emit = (event, payload, transfer) => post({ kind: 'event', event, payload }, transfer);
const session = new TrainingSession({ createTrainer, emit });
const handlers = createCommandHandlers(session);

port.on('message', (message: unknown) => {
  const record = message !== null && typeof message === 'object' ? (message as Record<string, unknown>) : {};
  const id = typeof record.id === 'number' ? record.id : null;
  dispatchCommand(handlers, record.type, record.args).then(
    (result) => {
      if (id === null) throw new Error(`command ${JSON.stringify(record.type)} without an id`);
      post({ kind: 'reply', id, ok: true, result });
    },
    (error: unknown) => {
      const text = error instanceof Error ? error.message : String(error);
      if (id === null) emit('error', { message: `malformed command without an id: ${text}` });
      else post({ kind: 'reply', id, ok: false, error: text });
    },
  ).catch((error: unknown) => {
    emit('error', { message: error instanceof Error ? error.message : String(error) });
  });
});
