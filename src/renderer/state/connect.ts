// Wires the contract to the store: every event is folded in by its reducer, and
// getState() restores the curves and settings after a reload. Requests go
// through `actions.ts`; this file only listens.
//
// While training, the Node side pushes ~10 metrics events and a few weight
// snapshots a second. Rendering each one separately keeps a busy browser
// behind the trainer (and a Stop answer queued behind the backlog), so metrics
// snapshots and evaluations are folded in together at most once per flush
// interval; a status event flushes what is pending and applies at once.
import type { DigitrainApi, Evaluation, MetricsEvent, WeightsSnapshot } from '../../shared/contract';
import { messageOf } from '../../shared/messageOf';
import { reduceAppState, reduceEvaluation, reduceMetrics, reduceStatus, reduceWeights, type UiState, type UiStore } from './store';

/** Runs `flush` later; returns a cancel. The default waits FLUSH_MS. */
export type Scheduler = (flush: () => void) => () => void;

export const FLUSH_MS = 100;

const defaultScheduler: Scheduler = (flush) => {
  const timer = setTimeout(flush, FLUSH_MS);
  return () => clearTimeout(timer);
};

/** Subscribes `store` to `api`'s events and loads the current state. Returns the unsubscribe. */
export function connectStore(api: DigitrainApi, store: UiStore, schedule: Scheduler = defaultScheduler): () => void {
  const update = store.setState;
  let pendingMetrics: MetricsEvent[] = [];
  let pendingWeights: WeightsSnapshot | null = null;
  let pendingEvaluations: Evaluation[] = [];
  let cancelFlush: (() => void) | null = null;

  const flush = (): void => {
    cancelFlush?.();
    cancelFlush = null;
    if (pendingMetrics.length === 0 && pendingWeights === null && pendingEvaluations.length === 0) return;
    const metrics = pendingMetrics;
    const weights = pendingWeights;
    const evaluations = pendingEvaluations;
    pendingMetrics = [];
    pendingWeights = null;
    pendingEvaluations = [];
    update((s) => {
      let next: UiState = s;
      for (const ev of metrics) next = { ...next, ...reduceMetrics(next, ev) };
      if (weights) next = { ...next, ...reduceWeights(next, weights) };
      for (const ev of evaluations) next = { ...next, ...reduceEvaluation(next, ev) };
      return next;
    });
  };
  const later = (): void => {
    if (cancelFlush) return;
    let ran = false;
    const cancel = schedule(() => {
      ran = true;
      cancelFlush = null;
      flush();
    });
    // A scheduler may run the flush at once (tests do); then nothing is pending.
    if (!ran) cancelFlush = cancel;
  };

  const offs = [
    api.on('metrics', (ev) => {
      pendingMetrics.push(ev);
      later();
    }),
    api.on('weights', (ev) => {
      // Only the newest snapshot matters; older ones are dropped unseen.
      pendingWeights = ev;
      later();
    }),
    api.on('status', (ev) => {
      flush();
      update((s) => reduceStatus(s, ev));
    }),
    api.on('evaluation', (ev) => {
      pendingEvaluations.push(ev);
      later();
    }),
    api.on('error', (ev) => update({ notice: ev.message })),
  ];

  let closed = false;
  const load = (): void => {
    api.getState().then(
      (app) => {
        if (closed) return;
        flush();
        update((s) => ({ ...reduceAppState(s, app), connection: 'ready', notice: null }));
      },
      (err: unknown) => {
        if (!closed) update({ connection: 'lost', notice: `Could not reach the trainer: ${messageOf(err)}` });
      },
    );
  };
  // Only the browser client emits `connection`: after a dropped socket, events may have been missed, so reload.
  let dropped = false;
  offs.push(
    api.on('connection', ({ connected }) => {
      if (!connected) {
        dropped = true;
        update({ connection: 'lost' });
      } else if (dropped) {
        dropped = false;
        load();
      }
    }),
  );
  load();
  return () => {
    closed = true;
    cancelFlush?.();
    for (const off of offs) off();
  };
}
