// The trainer's work the learner is waiting for (issue 24): requests sent and not yet answered,
// each with what it is called in the status line, and pieces of work made of many requests (the
// shift sweep). Requests that run all the time in the background (classify at every weights
// snapshot, explain with every snapshot, health) are not listed: they would make the indicator
// flicker and the learner is not waiting for them.
//
// The long ones can be called off (shared/cancel.ts) where the client can cancel: the client rejects
// the caller's promise with CANCELLED at once, the entry leaves the list, and the Node side does not
// run the request if it has not started it (or stops it at its next checkpoint).
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { DigitrainApi } from '../../shared/contract';
import { callOffLastRequest } from '../../shared/cancel';

/** What the status line calls each request the learner waits for. */
export const WAITED_FOR = {
  step: 'steps',
  reset: 'a fresh network',
  evaluate: 'scoring the test set',
  testPage: 'the gallery',
  inspectUnit: 'the unit inspector',
  saveWeights: 'saving',
  exportWeights: 'exporting',
  loadWeights: 'loading',
  openRun: 'reopening a run',
  evaluateMyDigits: 'scoring your digits',
  exportMyDigits: 'exporting your digits',
} as const satisfies Partial<Record<keyof DigitrainApi, string>>;

type Waited = keyof typeof WAITED_FOR;

/** The requests the learner can call off: the long passes over the test set (67–84 s seen on a busy machine). */
export const CANCELLABLE: ReadonlySet<Waited> = new Set<Waited>(['testPage', 'inspectUnit']);

export interface PendingRequest {
  id: number;
  /** The request's method, or 'task' for work made of many requests (beginTask). */
  method: Waited | 'task';
  label: string;
  /** performance.now() when it was sent. */
  since: number;
  /** For a burst of steps: how many. */
  count?: number;
  /** The step when it was sent (progress of a burst). */
  fromStep?: number;
  /** For a task: how much of it is done, of `total`. */
  done?: number;
  total?: number;
  /** Calls it off; absent when it cannot be. */
  cancel?: () => void;
}

export const busyStore = createStore<{ pending: PendingRequest[] }>(() => ({ pending: [] }));

export function usePending(): PendingRequest[] {
  return useStore(busyStore, (s) => s.pending);
}

let nextId = 1;

/** Puts `entry` (complete: it is not changed once listed) on the list; returns what takes it off. */
function list(entry: PendingRequest): () => void {
  busyStore.setState((s) => ({ pending: [...s.pending, entry] }));
  return () => busyStore.setState((s) => (s.pending.some((p) => p.id === entry.id) ? { pending: s.pending.filter((p) => p.id !== entry.id) } : s));
}

/** The cancel of each tracked promise still pending (cancelPending). */
const cancels = new WeakMap<Promise<unknown>, () => void>();

/** Calls off a request trackRequests returned, if it can be and is not answered yet; whether it did. */
export function cancelPending(request: Promise<unknown> | null | undefined): boolean {
  const cancel = request ? cancels.get(request) : undefined;
  cancel?.();
  return cancel !== undefined;
}

/**
 * The API with every request in WAITED_FOR listed in busyStore until it settles. `step()` reads
 * the current step, for the progress of a burst. The CANCELLABLE ones can be called off, from the
 * list or with cancelPending(promise).
 */
export function trackRequests(api: DigitrainApi, step: () => number): DigitrainApi {
  const tracked = { ...api } as DigitrainApi;
  for (const method of Object.keys(WAITED_FOR) as Waited[]) {
    const original = api[method] as (...args: unknown[]) => Promise<unknown>;
    if (typeof original !== 'function') continue;
    (tracked as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      const entry: PendingRequest = { id: nextId++, method, label: WAITED_FOR[method], since: performance.now() };
      if (method === 'step' && typeof args[1] === 'number') {
        entry.count = args[1];
        entry.fromStep = step();
      }
      // Called as the original would be (the file picker of loadWeights needs the click's own call stack).
      const sent = original.apply(api, args);
      // The long ones get a Cancel where the client can cancel: it rejects `sent` at once, which takes it off the list.
      const callOff = CANCELLABLE.has(method) ? callOffLastRequest(api) : null;
      if (callOff) {
        const cancel = () => {
          if (cancels.delete(sent)) callOff();
        };
        entry.cancel = cancel;
        cancels.set(sent, cancel);
      }
      const unlist = list(entry);
      const settled = () => {
        cancels.delete(sent);
        unlist();
      };
      sent.then(settled, settled);
      return sent;
    };
  }
  return tracked;
}

export interface Task {
  /** How much is done now (of the total given to beginTask). */
  progress(done: number): void;
  /** Done (or given up): off the list. */
  end(): void;
  /** Calls it off as its Cancel in the list does (off the list, and the `cancel` given to beginTask). */
  cancel(): void;
}

/** Lists work that is not one request (the shift sweep's many answers) until `end()`; `cancel` calls it off from the list. */
export function beginTask(label: string, options: { total?: number; cancel?: () => void } = {}): Task {
  const entry: PendingRequest = { id: nextId++, method: 'task', label, since: performance.now(), total: options.total, done: options.total === undefined ? undefined : 0 };
  let over = false;
  let unlist = () => undefined as void;
  const end = () => {
    over = true;
    unlist();
  };
  const cancel = () => {
    if (over) return;
    end();
    options.cancel?.();
  };
  if (options.cancel) entry.cancel = cancel;
  unlist = list(entry);
  return {
    progress(done) {
      busyStore.setState((s) => ({ pending: s.pending.map((p) => (p.id === entry.id ? { ...p, done } : p)) }));
    },
    end,
    cancel,
  };
}

/** A request is shown once it has waited this long (quick answers would only flicker); a burst of steps at once. */
export const SHOW_AFTER_MS = 250;

/** One line of the busy list: what it says, and its Cancel where it has one. */
export interface BusyItem {
  key: string;
  text: string;
  cancel?: () => void;
}

function describe(request: PendingRequest, step: number, queued: boolean, now: number): string {
  const seconds = Math.floor((now - request.since) / 1000);
  const waited = seconds >= 2 ? ` · ${seconds} s` : '';
  if (request.method === 'step' && request.count !== undefined && request.fromStep !== undefined) {
    const done = Math.max(0, Math.min(request.count, step - request.fromStep));
    return `${request.count === 1 ? 'a step' : `${request.count} steps`}: ${done}/${request.count}${waited}`;
  }
  if (request.total !== undefined) return `${request.label}: ${request.done ?? 0}/${request.total}${waited}`;
  return `${request.label}: ${queued ? 'queued' : 'working…'}${waited}`;
}

/** What the status line lists at `now` (performance.now()): the scoring after Stop, then each request shown by now. */
export function busyItems(pending: readonly PendingRequest[], at: { now: number; step: number; training: boolean; scoring: boolean }): BusyItem[] {
  const shown = pending.filter((p) => at.now - p.since >= SHOW_AFTER_MS || p.method === 'step');
  // Queued: while training runs a request waits for the trainer between steps, and behind a burst sent before it.
  const queued = (p: PendingRequest) => at.training || pending.some((q) => q.method === 'step' && q.id < p.id);
  return [
    ...(at.scoring ? [{ key: 'scoring', text: 'scoring the test set: working…' }] : []),
    ...shown.map((p) => ({ key: String(p.id), text: describe(p, at.step, queued(p), at.now), ...(p.cancel ? { cancel: p.cancel } : {}) })),
  ];
}

/** When the list next changes by the clock alone: the first request still hidden comes into view (null: none). */
export function nextShowAt(pending: readonly PendingRequest[], now: number): number | null {
  const hidden = pending.filter((p) => p.method !== 'step' && now - p.since < SHOW_AFTER_MS).map((p) => p.since + SHOW_AFTER_MS);
  return hidden.length > 0 ? Math.min(...hidden) : null;
}
