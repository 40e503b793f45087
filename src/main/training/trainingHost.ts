// The main-thread handle on the training worker, shared by the Electron shell and the
// web host: request/response by id, events fanned out to subscribers.
//
// The worker starts on the first request. If it dies, status becomes 'error', every
// pending request is rejected with the reason (nobody waits forever) and the next
// request starts a fresh worker.
//
// A request whose client calls it off (its signal aborts, shared/cancel.ts) is rejected at once
// and marked on the board the worker shares (cancelBoard.ts): not run if it has not started.
import type { Worker } from 'node:worker_threads';
import { defaultConfig, type EventMap, type EventName, type Status } from '../../shared/contract';
import type { RecordedRun, WorkerCommandArgs, WorkerCommandMessage, WorkerCommandName, WorkerCommandResult, WorkerMessage } from '../../shared/workerProtocol';
import { spawnWorker } from '../../engine/parallel/spawnWorker';
import { messageOf } from '../../shared/messageOf';
import { CANCELLED } from '../../shared/cancel';
import { CancelBoard, currentRequestSignal } from './cancelBoard';

type Listener<E extends EventName> = (payload: EventMap[E]) => void;

interface Pending {
  type: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export interface TrainingHostOptions {
  /** The worker script; defaults to trainingWorker next to this file. */
  workerUrl?: URL;
}

export class TrainingHost {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<EventName, Set<Listener<EventName>>>();
  private hostStatus: Status = 'idle';
  private lastStatus: EventMap['status'] | null = null;
  private disposed = false;
  private readonly workerUrl: URL;
  private readonly runListeners = new Set<(recorded: RecordedRun) => void>();
  private readonly startListeners = new Set<() => void>();
  private readonly board = new CancelBoard();

  constructor(options: TrainingHostOptions = {}) {
    this.workerUrl = options.workerUrl ?? new URL('./trainingWorker.js', import.meta.url);
  }

  /** Whether a worker is running now (commands to it are answered without starting one). */
  get isRunning(): boolean {
    return this.worker !== null;
  }

  /**
   * Called when a worker starts, before the command that started it is sent: commands sent from
   * here (e.g. the learner's digits) reach a fresh worker first, also after a crash.
   */
  onWorkerStart(listener: () => void): () => void {
    this.startListeners.add(listener);
    return () => this.startListeners.delete(listener);
  }

  /** Runs the worker records (runs/runHandlers.ts keeps them). */
  onRun(listener: (recorded: RecordedRun) => void): () => void {
    this.runListeners.add(listener);
    return () => this.runListeners.delete(listener);
  }

  /** An event the host side itself produces (a run saved), delivered like the worker's events. */
  notify<E extends EventName>(event: E, payload: EventMap[E]): void {
    this.emit(event, payload);
  }

  /** Requests waiting for a reply (for tests and diagnostics). */
  get pendingCount(): number {
    return this.pending.size;
  }

  listenerCount(event?: EventName): number {
    if (event) return this.listeners.get(event)?.size ?? 0;
    let total = 0;
    for (const set of this.listeners.values()) total += set.size;
    return total;
  }

  /** The last status the worker reported ('error' also when the worker died). */
  get status(): Status {
    return this.hostStatus;
  }

  /**
   * Sends a command to the worker. `signal` (by default the signal of the client request being
   * handled, cancelBoard.ts) calls it off: the promise rejects with CANCELLED at once, and the
   * worker does not run the command if it has not started it, or stops it at its next checkpoint.
   */
  request<K extends WorkerCommandName>(type: K, args: WorkerCommandArgs<K>, signal: AbortSignal | undefined = currentRequestSignal()): Promise<WorkerCommandResult<K>> {
    if (this.disposed) return Promise.reject(new Error('the training host has been shut down'));
    if (signal?.aborted) return Promise.reject(new Error(`${type}: ${CANCELLED}`));
    let worker: Worker;
    try {
      worker = this.ensureWorker();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const id = this.nextId++;
    return new Promise<WorkerCommandResult<K>>((resolve, reject) => {
      const onAbort = () => {
        if (!this.pending.delete(id)) return;
        this.board.cancel(id);
        reject(new Error(`${type}: ${CANCELLED}`));
      };
      const settle =
        <T>(finish: (value: T) => void) =>
        (value: T) => {
          signal?.removeEventListener('abort', onAbort);
          finish(value);
        };
      this.pending.set(id, { type, resolve: settle(resolve as (value: unknown) => void), reject: settle(reject) });
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        worker.postMessage({ id, type, args } satisfies WorkerCommandMessage<K>);
      } catch (error) {
        // e.g. a value that cannot be cloned
        this.pending.delete(id);
        signal?.removeEventListener('abort', onAbort);
        reject(new Error(`${type}: ${messageOf(error)}`));
      }
    });
  }

  on<E extends EventName>(event: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const stored = listener as Listener<EventName>;
    set.add(stored);
    return () => {
      set.delete(stored);
      if (set.size === 0 && this.listeners.get(event) === set) this.listeners.delete(event);
    };
  }

  /** Stops the worker; pending requests are rejected. Safe to call twice. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const worker = this.worker;
    this.worker = null;
    this.rejectAll('the training host is shutting down');
    this.listeners.clear();
    this.runListeners.clear();
    this.startListeners.clear();
    if (worker) await worker.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = spawnWorker(this.workerUrl, { workerData: { cancelBoard: this.board.buffer } });
    worker.on('message', (message: WorkerMessage) => this.onMessage(message));
    worker.on('error', (error: Error) => this.onWorkerDeath(worker, `the training worker crashed: ${error.message}`));
    worker.on('exit', (code: number) => this.onWorkerDeath(worker, `the training worker exited (code ${code})`));
    this.worker = worker;
    for (const listener of [...this.startListeners]) listener();
    return worker;
  }

  private onMessage(message: WorkerMessage): void {
    if (message.kind === 'run') {
      for (const listener of [...this.runListeners]) {
        try {
          listener(message.recorded);
        } catch (error) {
          console.error('digitrain: a run listener threw:', error);
        }
      }
      return;
    }
    if (message.kind === 'event') {
      if (message.event === 'status') {
        this.lastStatus = message.payload as EventMap['status'];
        this.hostStatus = this.lastStatus.status;
      }
      const payload = message.event === 'weights' ? ownedSnapshot(message.payload as EventMap['weights']) : message.payload;
      this.emit(message.event, payload);
      return;
    }
    if (message.id === null) return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (message.ok) pending.resolve(message.result);
    else pending.reject(new Error(message.error));
  }

  // 'error' and 'exit' both fire for a crash; only the first one for the current worker counts.
  private onWorkerDeath(worker: Worker, reason: string): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.rejectAll(reason);
    if (this.disposed) return;
    this.hostStatus = 'error';
    const last = this.lastStatus ?? { step: 0, epoch: 0, config: defaultConfig(), run: { id: 1, origin: 'start' as const, file: null } };
    this.emit('status', { ...last, status: 'error', error: reason });
    this.emit('error', { message: reason });
  }

  private rejectAll(reason: string): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(new Error(`${p.type}: ${reason}`));
  }

  private emit<E extends EventName>(event: E, payload: EventMap[E]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(payload);
      } catch (error) {
        // One broken subscriber must not starve the others (or crash the host).
        console.error(`digitrain: a '${event}' listener threw:`, error);
      }
    }
  }
}

/**
 * The worker hands snapshots over in shared memory (see session.ts). Listeners get arrays of
 * their own: Electron's IPC cannot send shared memory to another process, and nobody should
 * hold a view that another thread could write.
 */
function ownedSnapshot(snapshot: EventMap['weights']): EventMap['weights'] {
  return { ...snapshot, tensors: snapshot.tensors.map((t) => ({ ...t, data: t.data.slice() })) };
}
