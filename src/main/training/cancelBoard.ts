// Requests the client called off (shared/cancel.ts), as the training worker sees them. The host
// marks a command's id in memory it shares with the worker, so the worker sees the mark at once:
// also while it is busy with the command before, when it cannot read its messages (a cancel
// sent as a message would arrive after the command it cancels had run). A command marked before
// it starts is not run; a running one stops at its next checkpoint.
import { CANCELLED } from '../../shared/cancel';

/** Slots of the board: a command's id marks slot id % SLOTS (ids only grow, so a slot is reused long after). */
const SLOTS = 256;

export class CancelBoard {
  readonly buffer: SharedArrayBuffer;
  private readonly slots: Int32Array;

  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT)) {
    this.buffer = buffer;
    this.slots = new Int32Array(buffer);
  }

  cancel(id: number): void {
    Atomics.store(this.slots, id % this.slots.length, id | 0);
  }

  isCancelled(id: number): boolean {
    return Atomics.load(this.slots, id % this.slots.length) === (id | 0);
  }
}

export class CancelledError extends Error {
  constructor() {
    super(CANCELLED);
    this.name = 'CancelledError';
  }
}

/**
 * The command the worker is running, for its checkpoints: `checkpoint()` throws CancelledError
 * when that command has been called off. Long passes over the test set call it between chunks.
 */
export class RunningCommand {
  private id: number | null = null;

  constructor(private readonly board: CancelBoard) {}

  /** Runs the synchronous part of command `id` (every long computation of the worker is synchronous). */
  during<T>(id: number, run: () => T): T {
    const outer = this.id;
    this.id = id;
    try {
      return run();
    } finally {
      this.id = outer;
    }
  }

  readonly checkpoint = (): void => {
    if (this.id !== null && this.board.isCancelled(this.id)) throw new CancelledError();
  };
}

// The client's signal goes with its request from the host's handlers (requestHandlers.ts) to
// TrainingHost.request: every worker command a handler sends as it is called (every direct one)
// gets it. Not an AsyncLocalStorage: turning that on slows every promise of the host process.
let requestSignal: AbortSignal | undefined;

/** Runs `fn` with `signal` as the signal of the worker commands it sends synchronously. */
export function withRequestSignal<T>(signal: AbortSignal | undefined, fn: () => T): T {
  const outer = requestSignal;
  requestSignal = signal;
  try {
    return fn();
  } finally {
    requestSignal = outer;
  }
}

/** The signal of the client request being handled, if it can be cancelled. */
export function currentRequestSignal(): AbortSignal | undefined {
  return requestSignal;
}
