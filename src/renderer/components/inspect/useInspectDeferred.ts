// The inspection store read in a transition (kept out of state/inspectStore.ts, which the
// Node-side tests import without React).
import { startTransition, useEffect, useRef, useState } from 'react';
import { inspectStore, type InspectState, type InspectStore } from '../../state/inspectStore';

/**
 * A slice of the inspection store whose changes re-render in a transition: React renders a new page of 40 images
 * (or a unit's 18) in slices between the charts' redraws and the metrics, instead of one long
 * task (the store's own hook renders synchronously).
 */
export function useInspectDeferred<T>(selector: (state: InspectState) => T, store: InspectStore = inspectStore): T {
  const selectorRef = useRef(selector);
  selectorRef.current = selector;
  const [value, setValue] = useState(() => selector(store.getState()));
  useEffect(() => {
    let last = selectorRef.current(store.getState());
    setValue(() => last);
    return store.subscribe((state) => {
      const next = selectorRef.current(state);
      if (Object.is(next, last)) return;
      last = next;
      startTransition(() => setValue(() => next));
    });
  }, [store]);
  return value;
}
