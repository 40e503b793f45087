// The trainer's work the learner is waiting for (issue 24): requests sent and not yet answered,
// each with what it is called in the status line. Requests that run all the time in the
// background (classify at every weights snapshot, explain, health) are not listed: they would
// make the indicator flicker and the learner is not waiting for them.
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { DigitrainApi } from '../../shared/contract';

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

export interface PendingRequest {
  id: number;
  method: Waited;
  label: string;
  /** performance.now() when it was sent. */
  since: number;
  /** For a burst of steps: how many. */
  count?: number;
  /** The step when it was sent (progress of a burst). */
  fromStep?: number;
}

export const busyStore = createStore<{ pending: PendingRequest[] }>(() => ({ pending: [] }));

export function usePending(): PendingRequest[] {
  return useStore(busyStore, (s) => s.pending);
}

let nextId = 1;

/**
 * The API with every request in WAITED_FOR listed in busyStore until it settles. `step()` reads
 * the current step, for the progress of a burst.
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
      busyStore.setState((s) => ({ pending: [...s.pending, entry] }));
      const done = () => busyStore.setState((s) => ({ pending: s.pending.filter((p) => p.id !== entry.id) }));
      // Called as the original would be (the file picker of loadWeights needs the click's own call stack).
      const result = original.apply(api, args);
      result.then(done, done);
      return result;
    };
  }
  return tracked;
}

/** A request is shown once it has waited this long (quick answers would only flicker); a burst of steps at once. */
export const SHOW_AFTER_MS = 250;

function describe(request: PendingRequest, step: number, queued: boolean, now: number): string {
  const seconds = Math.floor((now - request.since) / 1000);
  const waited = seconds >= 2 ? ` · ${seconds} s` : '';
  if (request.method === 'step' && request.count !== undefined && request.fromStep !== undefined) {
    const done = Math.max(0, Math.min(request.count, step - request.fromStep));
    return `${request.count === 1 ? 'a step' : `${request.count} steps`}: ${done}/${request.count}${waited}`;
  }
  return `${request.label}: ${queued ? 'queued' : 'working…'}${waited}`;
}

/** What the status line lists at `now` (performance.now()): the scoring after Stop, then each request shown by now. */
export function busyItems(pending: readonly PendingRequest[], at: { now: number; step: number; training: boolean; scoring: boolean }): string[] {
  const shown = pending.filter((p) => at.now - p.since >= SHOW_AFTER_MS || p.method === 'step');
  // Queued: while training runs a request waits for the trainer between steps, and behind a burst sent before it.
  const queued = (p: PendingRequest) => at.training || pending.some((q) => q.method === 'step' && q.id < p.id);
  return [...(at.scoring ? ['scoring the test set: working…'] : []), ...shown.map((p) => describe(p, at.step, queued(p), at.now))];
}

/** When the list next changes by the clock alone: the first request still hidden comes into view (null: none). */
export function nextShowAt(pending: readonly PendingRequest[], now: number): number | null {
  const hidden = pending.filter((p) => p.method !== 'step' && now - p.since < SHOW_AFTER_MS).map((p) => p.since + SHOW_AFTER_MS);
  return hidden.length > 0 ? Math.min(...hidden) : null;
}
