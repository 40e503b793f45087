// Wires the contract to the store: every event is folded in by its reducer, and
// getState() restores the curves and settings after a reload. Requests go
// through `actions.ts`; this file only listens.
//
// While training, the Node side pushes ~20 metrics events and a few weight
// snapshots a second. Rendering each one separately keeps a busy browser
// behind the trainer (and a Stop answer queued behind the backlog), so metrics
// and snapshots are folded in together at most once per flush interval; status,
// evaluation and error events flush what is pending and apply at once.
import type { DigitrainApi, MetricsEvent, WeightsSnapshot } from '../../shared/contract';
import {
  reduceAppState,
  reduceEvaluation,
  reduceMetrics,
  reduceStatus,
  reduceWeights,
  type UiState,
  type UiStore,
} from './store';

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
  let cancelFlush: (() => void) | null = null;

  const flush = (): void => {
    cancelFlush?.();
    cancelFlush = null;
    if (pendingMetrics.length === 0 && pendingWeights === null) return;
    const metrics = pendingMetrics;
    const weights = pendingWeights;
    pendingMetrics = [];
    pendingWeights = null;
    update((s) => {
      let next: UiState = s;
      for (const ev of metrics) next = { ...next, ...reduceMetrics(next, ev) };
      if (weights) next = { ...next, ...reduceWeights(next, weights) };
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
      flush();
      update((s) => reduceEvaluation(s, ev));
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

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
