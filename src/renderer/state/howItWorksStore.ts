// How it works (issue 27): the step graph the worker recorded for one test digit, and where the
// learner is in stepping through it. The cursor counts steps: 0 is before anything is computed,
// 1…n are the n ops' forward passes in order, n+1…2n their backward passes in reverse. What has
// been seen (the loss reached, backward finished, an update read) stays ticked for the lessons.
import { createStore } from 'zustand/vanilla';
import type { DigitrainApi } from '../../shared/contract';
import { messageOf } from '../../shared/messageOf';
import { TEST_SET_SIZE, type GraphNode, type StepGraph } from '../../shared/stepGraph';

export interface HowItWorksState {
  graph: StepGraph | null;
  loading: boolean;
  error: string | null;
  /** The test digit asked for. */
  index: number;
  cursor: number;
  selected: number | null;
  /** What the learner has done so far (lesson 1's checks). */
  seen: { forward: boolean; backward: boolean; update: boolean };
  /** How many recordings have arrived: a new one resets the cursor, so whoever steps waits for it. */
  recordings: number;
}

export const howItWorksStore = createStore<HowItWorksState>(() => ({
  graph: null,
  loading: false,
  error: null,
  index: 0,
  cursor: 0,
  selected: null,
  seen: { forward: false, backward: false, update: false },
  recordings: 0,
}));
export type HowItWorksStore = typeof howItWorksStore;

/** The op nodes in forward order. */
export function opsOf(graph: StepGraph): GraphNode[] {
  return graph.nodes.filter((n) => n.kind === 'op');
}

export type Phase = 'start' | 'forward' | 'backward';

export interface Position {
  phase: Phase;
  /** The op just computed (forward) or whose backward just ran, or null at the start. */
  current: GraphNode | null;
  /** Ops whose forward value is known. */
  forwardDone: Set<number>;
  /** Ops whose backward has run. */
  backwardDone: Set<number>;
  /** Nodes whose gradient is known (the loss's from the start of backward, an input's once an op that uses it has run backward). */
  gradKnown: Set<number>;
  total: number;
}

export function positionOf(graph: StepGraph, cursor: number): Position {
  const ops = opsOf(graph);
  const n = ops.length;
  const forwardDone = new Set(ops.slice(0, Math.min(cursor, n)).map((o) => o.id));
  const back = Math.max(0, cursor - n);
  const backwardOps = ops.slice(n - back);
  const backwardDone = new Set(backwardOps.map((o) => o.id));
  const gradKnown = new Set<number>();
  if (cursor >= n && n > 0) gradKnown.add(ops[n - 1].id);
  for (const op of backwardOps) {
    gradKnown.add(op.id);
    for (const i of op.inputs) if (graph.nodes[i].grad !== null || graph.nodes[i].gradSummary !== null) gradKnown.add(i);
  }
  const phase: Phase = cursor === 0 ? 'start' : cursor <= n ? 'forward' : 'backward';
  const current = cursor === 0 ? null : cursor <= n ? ops[cursor - 1] : ops[n - back];
  return { phase, current, forwardDone, backwardDone, gradKnown, total: n };
}

export interface HowItWorksActions {
  /** Takes the graph again for test digit `index` (default: the current one). */
  load(index?: number): Promise<void>;
  anotherDigit(): Promise<void>;
  /** Moves the cursor to `cursor` (clamped) and selects the node computed there. */
  goTo(cursor: number): void;
  step(delta: number): void;
  select(id: number): void;
}

export function createHowItWorksActions(api: DigitrainApi, store: HowItWorksStore = howItWorksStore, random: () => number = Math.random): HowItWorksActions {
  let pending = 0;
  const noteSeen = (): void => {
    const { graph, cursor, selected, seen } = store.getState();
    if (!graph) return;
    const n = opsOf(graph).length;
    const node = selected === null ? null : graph.nodes[selected];
    const next = {
      forward: seen.forward || cursor >= n,
      backward: seen.backward || cursor >= 2 * n,
      update: seen.update || (node?.kind === 'param' && positionOf(graph, cursor).gradKnown.has(node.id)),
    };
    if (next.forward !== seen.forward || next.backward !== seen.backward || next.update !== seen.update) store.setState({ seen: next });
  };
  const actions: HowItWorksActions = {
    async load(index = store.getState().index) {
      const ticket = ++pending;
      store.setState({ loading: true, error: null, index });
      try {
        const graph = await api.stepGraph({ index });
        if (ticket !== pending) return;
        store.setState((s) => ({ graph, loading: false, cursor: 0, selected: null, recordings: s.recordings + 1 }));
      } catch (error) {
        if (ticket === pending) store.setState({ loading: false, error: messageOf(error) });
      }
    },
    anotherDigit() {
      return actions.load(Math.floor(random() * TEST_SET_SIZE));
    },
    goTo(cursor) {
      const { graph } = store.getState();
      if (!graph) return;
      const clamped = Math.max(0, Math.min(2 * opsOf(graph).length, cursor));
      const current = positionOf(graph, clamped).current;
      store.setState({ cursor: clamped, selected: current?.id ?? store.getState().selected });
      noteSeen();
    },
    step(delta) {
      actions.goTo(store.getState().cursor + delta);
    },
    select(id) {
      store.setState({ selected: id });
      noteSeen();
    },
  };
  return actions;
}
