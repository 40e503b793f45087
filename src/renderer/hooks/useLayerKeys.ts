// Stable keys for the editor's layer cards. A spec has no ids and names change while the
// learner types, so each card gets a number that follows its layer through the editor's own
// edits (a move keeps it, an insert adds one); when the spec changes from elsewhere (a preset,
// a Reset, a load) a layer keeps its key where the same name stands at the same place.
import { useRef } from 'react';
import type { ModelSpec } from '../../shared/model/spec';

export interface LayerKeys {
  keys: readonly number[];
  /** A key for a new card. */
  fresh(): number;
  /** Records the keys of a spec the editor is about to put in the store. */
  expect(spec: ModelSpec, keys: readonly number[]): void;
}

export function useLayerKeys(spec: ModelSpec): LayerKeys {
  const state = useRef<{ spec: ModelSpec | null; keys: readonly number[]; next: number }>({ spec: null, keys: [], next: 0 });
  const s = state.current;
  if (s.spec !== spec) {
    const old = s.spec?.layers ?? [];
    s.keys = spec.layers.map((layer, i) => (old[i]?.name === layer.name && s.keys[i] !== undefined ? s.keys[i] : s.next++));
    s.spec = spec;
  }
  return {
    keys: s.keys,
    fresh: () => s.next++,
    expect(next, keys) {
      s.spec = next;
      s.keys = keys;
    },
  };
}
