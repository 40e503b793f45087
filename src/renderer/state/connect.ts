// Wires the contract to the store: every event is folded in by its reducer, and
// getState() restores the curves and settings after a reload. Requests go
// through `actions.ts`; this file only listens.
import type { DigitrainApi } from '../../shared/contract';
import {
  reduceAppState,
  reduceEvaluation,
  reduceMetrics,
  reduceStatus,
  reduceWeights,
  type UiStore,
} from './store';

/** Subscribes `store` to `api`'s events and loads the current state. Returns the unsubscribe. */
export function connectStore(api: DigitrainApi, store: UiStore): () => void {
  const update = store.setState;
  const offs = [
    api.on('status', (ev) => update((s) => reduceStatus(s, ev))),
    api.on('metrics', (ev) => update((s) => reduceMetrics(s, ev))),
    api.on('evaluation', (ev) => update((s) => reduceEvaluation(s, ev))),
    api.on('weights', (ev) => update((s) => reduceWeights(s, ev))),
    api.on('error', (ev) => update({ notice: ev.message })),
  ];
  let closed = false;
  const load = (): void => {
    api.getState().then(
      (app) => {
        if (!closed) update((s) => ({ ...reduceAppState(s, app), connection: 'ready', notice: null }));
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
    for (const off of offs) off();
  };
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
