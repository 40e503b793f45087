// A store value that re-renders its component at most once per `intervalMs`,
// on an animation frame. Metrics arrive ~20 times a second; charts and weight
// tiles redraw a few times a second, so training never waits on the UI. The
// update is a transition: React renders it in slices and lets input and the
// next metrics in between, instead of one long task per chart redraw. Views
// with the same interval take different `phaseMs` so their redraws (and the
// synchronous work recharts does after each) fall in separate tasks.
import { startTransition, useEffect, useRef, useState } from 'react';
import { nextFlushAt } from '../lib/schedule';
import { uiStore, type UiState } from '../state/store';

/**
 * The evaluation panels (sample grid, confusion matrix) take a new evaluation on the
 * beat between the charts' (0 and 250 ms) and the weight tiles' (125 ms) redraws.
 */
export const EVALUATION_INTERVAL_MS = 500;
export const EVALUATION_PHASE_MS = 375;

/**
 * Views of the weight snapshots (the tile atlas, the enlarged unit) redraw together,
 * between the two charts' redraws (0 and 250 ms of each 500); snapshots arrive 2/s.
 */
export const WEIGHTS_INTERVAL_MS = 500;
export const WEIGHTS_PHASE_MS = 125;

export function useThrottledUi<T>(selector: (state: UiState) => T, intervalMs: number, phaseMs = 0): T {
  const selectorRef = useRef(selector);
  selectorRef.current = selector;
  const [value, setValue] = useState(() => selector(uiStore.getState()));

  useEffect(() => {
    let lastFlush = -Infinity;
    let frame = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const flush = (): void => {
      frame = 0;
      const next = selectorRef.current(uiStore.getState());
      startTransition(() => setValue(next));
    };
    const schedule = (): void => {
      if (frame !== 0 || timer !== undefined) return;
      const now = performance.now();
      // Counted from the beat, not from when the frame ran, so a late frame does not skip a beat.
      lastFlush = nextFlushAt(now, lastFlush, intervalMs, phaseMs);
      const wait = lastFlush - now;
      if (wait <= 0) {
        frame = requestAnimationFrame(flush);
        return;
      }
      timer = setTimeout(() => {
        timer = undefined;
        frame = requestAnimationFrame(flush);
      }, wait);
    };

    const unsubscribe = uiStore.subscribe(schedule);
    schedule();
    return () => {
      unsubscribe();
      if (frame !== 0) cancelAnimationFrame(frame);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [intervalMs, phaseMs]);

  return value;
}
