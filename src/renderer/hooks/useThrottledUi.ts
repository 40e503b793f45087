// A store value that re-renders its component at most once per `intervalMs`,
// on an animation frame. Metrics arrive ~20 times a second; charts and weight
// tiles redraw a few times a second, so training never waits on the UI. The
// update is a transition: React renders it in slices and lets input and the
// next metrics in between, instead of one long task per chart redraw.
import { startTransition, useEffect, useRef, useState } from 'react';
import { uiStore, type UiState } from '../state/store';

export function useThrottledUi<T>(selector: (state: UiState) => T, intervalMs: number): T {
  const selectorRef = useRef(selector);
  selectorRef.current = selector;
  const [value, setValue] = useState(() => selector(uiStore.getState()));

  useEffect(() => {
    let lastFlush = 0;
    let frame = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const flush = (): void => {
      frame = 0;
      lastFlush = performance.now();
      const next = selectorRef.current(uiStore.getState());
      startTransition(() => setValue(next));
    };
    const schedule = (): void => {
      if (frame !== 0 || timer !== undefined) return;
      const wait = lastFlush + intervalMs - performance.now();
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
  }, [intervalMs]);

  return value;
}
