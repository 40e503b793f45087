// One browser tab's connection to the web host: what is sent to it, and when its requests run.
//
// A tab that stops reading (paused in the debugger, a frozen machine, a script that never
// reads) must not make the host buffer without end: events kept being written to such a
// socket, 0.155 MB/s with evaluation every 100 steps, 19.5 MB after 150 s. So, per client:
//
// - Events are sent while the socket's unsent bytes (ws `bufferedAmount`) stay below
//   `eventBacklogBytes`. Above, they are held: the latest of each kind (metrics merged
//   into one event, up to `maxHeldMetricSteps` steps), which is what a slow tab needs to
//   show the current state; they go out in order once it has read its backlog.
// - Weight snapshots keep their own rule: one in flight until the client acks it, and
//   meanwhile only the latest waits.
// - Requests run one at a time, in order, and a reply waits while `replyBacklogBytes` are
//   unsent. A client that keeps asking without reading fills its queue; past
//   `maxQueuedRequests` (or `maxQueuedBytes`) it is dropped with a close reason that says so.
//   One client also cannot keep the trainer busy for the others: at most one of its
//   requests is at the worker at a time, and a client that goes away loses its queue.
// - A request the client calls off (shared/cancel.ts) leaves the queue unrun; the one running
//   has its signal aborted (the trainer skips or stops it, cancelBoard.ts) and the next one starts.
//   The client stopped waiting when it cancelled, so neither is answered.

import type { WebSocket } from 'ws';
import { CONTRACT_VERSION, type EventMap, type EventName, type MetricsEvent } from '../../shared/contract';
import { encodeWire, type WireData } from '../../shared/wire';
import { MAX_FRAME_BYTES } from './requestLimits';

export interface ClientLimits {
  /** Above this many unsent bytes, events are held (the latest of each kind) instead of sent. */
  eventBacklogBytes: number;
  /** Above this many unsent bytes, the next reply waits until the client has read. */
  replyBacklogBytes: number;
  /** Requests waiting for their turn; one more drops the client. */
  maxQueuedRequests: number;
  /** The same in bytes (a weights upload alone may be 64 MB). */
  maxQueuedBytes: number;
  /** Steps of metrics held for a slow client; older steps are dropped (getState has the history). */
  maxHeldMetricSteps: number;
  /** How often a waiting client's backlog is looked at. */
  pollMs: number;
  /** After a drop, how long the close handshake may take before the socket is cut. */
  closeGraceMs: number;
}

export const DEFAULT_CLIENT_LIMITS: Readonly<ClientLimits> = Object.freeze({
  eventBacklogBytes: 1 << 20,
  replyBacklogBytes: 8 << 20,
  maxQueuedRequests: 64,
  maxQueuedBytes: MAX_FRAME_BYTES + (1 << 20),
  maxHeldMetricSteps: 10_000,
  pollMs: 50,
  closeGraceMs: 2000,
});

/** Close code for a client dropped by the host (RFC 6455 1008: policy violation). */
export const CLOSE_NOT_READING = 1008;

export interface ClientStats {
  /** Bytes written to the socket that the client has not taken yet. */
  bufferedAmount: number;
  heldEvents: number;
  /** Events held (and merged) instead of sent since the client connected: it fell behind at least this often. */
  heldSinceConnected: number;
  queuedRequests: number;
  /** Dropped (or gone): nothing more is sent or run for it. */
  closing: boolean;
}

/** A request's work; `signal` aborts when the client calls the request off. */
type Work = (signal: AbortSignal) => Promise<WireData>;

interface Queued {
  work: Work;
  bytes: number;
  /** The client's id of the request (for cancel), if it has one. */
  id: number | null;
}

export class ClientChannel {
  /** Held events, oldest first (a newer one of the same kind replaces the older and moves to the end). */
  private readonly held = new Map<EventName, EventMap[EventName]>();
  private snapshotInFlight = false;
  private heldSnapshot: WireData | null = null;
  private readonly queue: Queued[] = [];
  private running: { id: number | null; controller: AbortController } | null = null;
  private queuedBytes = 0;
  private working = false;
  private waitingForDrain: (() => void) | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private closed = false;
  private heldCount = 0;

  constructor(
    private readonly ws: WebSocket,
    private readonly limits: ClientLimits = DEFAULT_CLIENT_LIMITS,
  ) {
    ws.on('close', () => this.shutDown());
  }

  get stats(): ClientStats {
    return {
      bufferedAmount: this.ws.bufferedAmount,
      heldEvents: this.held.size + (this.heldSnapshot ? 1 : 0),
      heldSinceConnected: this.heldCount,
      queuedRequests: this.queue.length,
      closing: this.closed,
    };
  }

  /** An event for every client: `encoded` is shared by all; `payload` is what a slow client's held copy is built from. */
  event<E extends EventName>(name: E, payload: EventMap[E], encoded: WireData): void {
    if (this.closed) return;
    if (name === 'weights') {
      this.snapshot(encoded);
      return;
    }
    this.flushHeld();
    if (this.held.size === 0 && this.ws.bufferedAmount <= this.limits.eventBacklogBytes) {
      this.send(encoded);
      return;
    }
    const previous = this.held.get(name);
    this.held.delete(name);
    this.heldCount++;
    this.held.set(name, name === 'metrics' && previous ? this.mergeMetrics(previous as MetricsEvent, payload as MetricsEvent) : payload);
    this.startPolling();
  }

  /** The client has handled the last snapshot: it may have the next. */
  snapshotAcked(): void {
    this.snapshotInFlight = false;
    this.sendHeldSnapshot();
  }

  /** A reply that needs no turn (a message refused on arrival). */
  reply(data: WireData): void {
    if (!this.closed) this.send(data);
  }

  /** Runs `work` after the client's earlier requests and sends what it produces. */
  request(work: Work, bytes: number, id: number | null = null): void {
    if (this.closed) return;
    if (this.queue.length >= this.limits.maxQueuedRequests || this.queuedBytes + bytes > this.limits.maxQueuedBytes) {
      this.drop(`not reading its replies: ${this.queue.length} requests waiting, ${megabytes(this.ws.bufferedAmount)} unsent`);
      return;
    }
    this.queue.push({ work, bytes, id });
    this.queuedBytes += bytes;
    void this.pump();
  }

  /** The client called request `id` off: it is not run if it waits, and stopped if it runs; it is not answered. */
  cancel(id: number): void {
    const at = this.queue.findIndex((q) => q.id === id);
    if (at >= 0) {
      this.queuedBytes -= this.queue[at].bytes;
      this.queue.splice(at, 1);
    } else if (this.running?.id === id) this.running.controller.abort();
  }

  private async pump(): Promise<void> {
    if (this.working) return;
    this.working = true;
    try {
      while (!this.closed && this.queue.length > 0) {
        if (this.ws.bufferedAmount > this.limits.replyBacklogBytes) {
          await new Promise<void>((resolve) => {
            this.waitingForDrain = resolve;
            this.startPolling();
          });
          continue;
        }
        const next = this.queue.shift()!;
        this.queuedBytes -= next.bytes;
        const running = { id: next.id, controller: new AbortController() };
        this.running = running;
        try {
          const data = await next.work(running.controller.signal);
          if (!this.closed && !running.controller.signal.aborted) this.send(data);
        } finally {
          this.running = null;
        }
      }
    } finally {
      this.working = false;
    }
  }

  private snapshot(encoded: WireData): void {
    this.heldSnapshot = encoded;
    this.sendHeldSnapshot();
  }

  private sendHeldSnapshot(): void {
    if (this.closed || this.snapshotInFlight || this.heldSnapshot === null) return;
    if (this.ws.bufferedAmount > this.limits.eventBacklogBytes) {
      this.startPolling();
      return;
    }
    const data = this.heldSnapshot;
    this.heldSnapshot = null;
    this.snapshotInFlight = true;
    this.send(data);
  }

  /** Sends what is held once the client has read most of its backlog. */
  private flushHeld(): void {
    if (this.held.size === 0 || this.ws.bufferedAmount > this.limits.eventBacklogBytes / 2) return;
    const events = [...this.held];
    this.held.clear();
    for (const [event, payload] of events) this.send(encodeWire({ v: CONTRACT_VERSION, event, payload }));
  }

  private mergeMetrics(held: MetricsEvent, next: MetricsEvent): MetricsEvent {
    // Consecutive steps are joined; after a gap (or a reset) the newer run wins.
    const contiguous = held.firstStep + held.loss.length === next.firstStep;
    const loss = contiguous ? held.loss.concat(next.loss) : next.loss.slice();
    const accuracy = contiguous ? held.accuracy.concat(next.accuracy) : next.accuracy.slice();
    const firstStep = contiguous ? held.firstStep : next.firstStep;
    const excess = Math.max(0, loss.length - this.limits.maxHeldMetricSteps);
    return {
      firstStep: firstStep + excess,
      loss: loss.slice(excess),
      accuracy: accuracy.slice(excess),
      samplesPerSecond: next.samplesPerSecond,
      epoch: next.epoch,
    };
  }

  private poll(): void {
    if (this.closed) return;
    this.flushHeld();
    this.sendHeldSnapshot();
    if (this.waitingForDrain && this.ws.bufferedAmount <= this.limits.replyBacklogBytes) {
      const resume = this.waitingForDrain;
      this.waitingForDrain = null;
      resume();
    }
    if (this.held.size === 0 && (this.heldSnapshot === null || this.snapshotInFlight) && !this.waitingForDrain) this.stopPolling();
  }

  private startPolling(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => this.poll(), this.limits.pollMs);
    this.timer.unref?.();
  }

  private stopPolling(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private send(data: WireData): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(data, { binary: typeof data !== 'string' });
  }

  /** Closes with a reason the client can show, and cuts the socket if the handshake does not finish. */
  private drop(reason: string): void {
    if (this.closed) return;
    this.shutDown();
    // Close reasons are at most 123 bytes.
    this.ws.close(CLOSE_NOT_READING, `Digitrain host: client ${reason}`.slice(0, 123));
    const cut = setTimeout(() => this.ws.terminate(), this.limits.closeGraceMs);
    cut.unref?.();
    this.ws.once('close', () => clearTimeout(cut));
  }

  /** Gone (or dropped): its queued requests are not run, nothing more is sent. */
  private shutDown(): void {
    this.closed = true;
    // Nobody waits for the request running either.
    this.running?.controller.abort();
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.held.clear();
    this.heldSnapshot = null;
    this.stopPolling();
    const resume = this.waitingForDrain;
    this.waitingForDrain = null;
    resume?.();
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MB`;
}
