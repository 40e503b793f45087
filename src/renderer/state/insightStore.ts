// Issue 18's "look inside" panels: their own store, beside the UI's (store.ts), so the
// panels come and go without touching it.
//
// - Training health: the `health` events' samples, kept bounded (HealthHistory), reloaded with
//   getHealth() when the page loads, the run changes or the connection comes back; folded in
//   at most every HEALTH_FLUSH_MS.
// - Why this answer / What if: the selected digit, transformed by the what-if sliders, is
//   explained by the worker (explain(): the answer, the saliency map, the contributions). One
//   request at a time, the latest input wins; asked again when the weights move on.
// - The sweep: the probability of the predicted class as the digit shifts, −6…6 px (27 answers:
//   listed in the busy list with its progress, and it can be called off there or in the panel).
// - The answer the learner asked for (a digit picked, a slider moved) is listed in the busy list
//   while it waits; the same question asked again with each weights snapshot is not.
// - Preprocessing: the steps of each dropped or drawn digit, remembered by its 28×28 input.
import { createStore } from 'zustand/vanilla';
import type { DigitrainApi } from '../../shared/contract';
import { applyWhatIf, isIdentity, NO_WHAT_IF, WHAT_IF_RANGES, type WhatIf } from '../../shared/images/whatIf';
import type { PixelImage, PreprocessSteps } from '../../shared/images/preprocess';
import type { Explanation } from '../../shared/insight/explain';
import { HealthHistory, type Divergence, type HealthSample } from '../../shared/insight/health';
import { messageOf } from '../../shared/messageOf';
import type { UiState, UiStore } from './store';
import { beginTask, type Task } from './busy';
import { callOffLastRequest, isCancelled } from '../../shared/cancel';

/** Health samples are folded in at most this often (samples come ~2/s while training; a divergence at once). */
export const HEALTH_FLUSH_MS = 500;

export interface SweepPoint {
  shift: number;
  /** Probability of the class, shifting along x and along y. */
  x: number;
  y: number;
}

export interface Sweep {
  /** The class whose probability is plotted (the answer for the digit as the sliders leave it). */
  target: number;
  points: SweepPoint[];
  /** Shifts done so far (the plot fills in as the answers come). */
  done: number;
  /** Called off before the end (the plot keeps the shifts done). */
  cancelled?: boolean;
}

export interface InsightState {
  health: { run: number; samples: HealthSample[]; diverged: Divergence | null };
  whatIf: WhatIf;
  /** The input the sliders make of the selected digit (null: nothing selected). */
  input: Float32Array | null;
  explanation: Explanation | null;
  /** The input `explanation` is about (it may lag `input` by one request). */
  explained: Float32Array | null;
  explainError: string | null;
  sweep: Sweep | null;
  sweeping: boolean;
}

export const createInsightStore = () =>
  createStore<InsightState>(() => ({
    health: { run: 0, samples: [], diverged: null },
    whatIf: NO_WHAT_IF,
    input: null,
    explanation: null,
    explained: null,
    explainError: null,
    sweep: null,
    sweeping: false,
  }));

export const insightStore = createInsightStore();
export type InsightStore = typeof insightStore;

/** What preprocessing made of each dropped or drawn image, by the 28×28 input it gave. */
const preprocessing = new WeakMap<Float32Array, { image: PixelImage; steps: PreprocessSteps }>();

export function rememberPreprocessing(image: PixelImage, steps: PreprocessSteps): void {
  preprocessing.set(steps.pixels, { image, steps });
}

export function preprocessingOf(pixels: Float32Array | undefined): { image: PixelImage; steps: PreprocessSteps } | null {
  return (pixels && preprocessing.get(pixels)) ?? null;
}

export interface InsightActions {
  setWhatIf(patch: Partial<WhatIf>): void;
  resetWhatIf(): void;
  sweep(): Promise<void>;
  /** Calls off the sweep under way: no more shifts are asked, those sent are dropped. */
  cancelSweep(): void;
}

/** Subscribes the insight store to the contract and the UI store; returns the actions and an unsubscribe. */
export function connectInsight(api: DigitrainApi, ui: UiStore, store: InsightStore = insightStore, flushMs = HEALTH_FLUSH_MS): { actions: InsightActions; close: () => void } {
  const { getState, setState } = store;
  let history = new HealthHistory();
  let run = 0;
  let pending: HealthSample[] = [];
  let pendingDiverged: Divergence | null | undefined;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;

  const publish = (): void => {
    timer = null;
    for (const s of pending) history.push(s);
    pending = [];
    const diverged = pendingDiverged === undefined ? getState().health.diverged : pendingDiverged;
    pendingDiverged = undefined;
    setState({ health: { run, samples: history.samples(), diverged } });
  };

  const reload = (): void => {
    api.getHealth().then(
      (view) => {
        if (closed) return;
        run = view.run;
        history = new HealthHistory();
        for (const s of view.samples) history.push(s);
        pending = [];
        pendingDiverged = view.diverged;
        publish();
      },
      () => undefined,
    );
  };

  const offHealth = api.on('health', (ev) => {
    if (ev.run !== run) {
      run = ev.run;
      history = new HealthHistory();
      pending = [];
      pendingDiverged = null;
    }
    pending.push(...ev.samples);
    if (ev.diverged) pendingDiverged = ev.diverged;
    else if (ev.samples.length > 0) pendingDiverged = null;
    // A divergence is news at once; samples wait for the next beat.
    if (ev.diverged) {
      if (timer) clearTimeout(timer);
      publish();
    } else if (!timer) timer = setTimeout(publish, flushMs);
  });
  const offConnection = api.on('connection', ({ connected }) => {
    if (connected) reload();
  });

  // The explained input: one request out at a time, the newest input waits for it. `byLearner`: the
  // newest was asked for by the learner (listed while it waits), not by a weights snapshot.
  let inFlight = false;
  let wanted: Float32Array | null = null;
  let byLearner = false;
  const explain = async (): Promise<void> => {
    if (inFlight || closed) return;
    while (wanted) {
      const input = wanted;
      const task: Task | null = byLearner ? beginTask(isIdentity(getState().whatIf) ? 'why this answer' : 'what if') : null;
      wanted = null;
      byLearner = false;
      inFlight = true;
      try {
        const explanation = await api.explain(input);
        if (getState().input === input || wanted === null) setState({ explanation, explained: input, explainError: null });
      } catch (err) {
        setState({ explainError: messageOf(err) });
      } finally {
        inFlight = false;
        task?.end();
      }
    }
  };
  const ask = (input: Float32Array | null, learner = false): void => {
    if (!input) return;
    wanted = input;
    byLearner ||= learner;
    void explain();
  };

  const recompute = (selected: Float32Array | null, whatIf: WhatIf): void => {
    const input = selected ? (isIdentity(whatIf) ? selected : applyWhatIf(selected, whatIf)) : null;
    setState({ input, ...(input ? {} : { explanation: null, explained: null, sweep: null }) });
    ask(input, true);
  };

  let lastSelected: Float32Array | null = null;
  let lastRun = 0;
  let lastWeightsStep = -1;
  let lastStatus: UiState['status'] | null = null;
  const offUi = ui.subscribe((s) => {
    const selected = s.selected?.pixels ?? null;
    if (selected !== lastSelected) {
      lastSelected = selected;
      setState({ sweep: null });
      recompute(selected, getState().whatIf);
    }
    const weightsStep = s.weights?.step ?? -1;
    if (weightsStep !== lastWeightsStep) {
      lastWeightsStep = weightsStep;
      ask(getState().input);
    }
    if (s.run.id !== lastRun && s.run.id !== 0) {
      lastRun = s.run.id;
      reload();
    }
    if (s.status !== lastStatus) {
      // After an error (a divergence), the health event has landed; a reload makes sure.
      if (s.status === 'error') setTimeout(reload, 50);
      lastStatus = s.status;
    }
  });

  let cancelSweep = (): void => undefined;
  const actions: InsightActions = {
    setWhatIf(patch) {
      const whatIf = { ...getState().whatIf, ...patch };
      setState({ whatIf });
      recompute(ui.getState().selected?.pixels ?? null, whatIf);
    },
    resetWhatIf() {
      setState({ whatIf: NO_WHAT_IF });
      recompute(ui.getState().selected?.pixels ?? null, NO_WHAT_IF);
    },
    async sweep() {
      const selected = ui.getState().selected?.pixels;
      const base = getState().whatIf;
      if (!selected || getState().sweeping) return;
      const { min, max } = WHAT_IF_RANGES.shiftX;
      const shifts = max - min + 1;
      // What calls off each request out now, to call them off with the sweep.
      const out = new Set<() => void>();
      let cancelled = false;
      const classify = (pixels: Float32Array) => {
        const request = api.classify(pixels);
        const callOff = callOffLastRequest(api);
        if (callOff) {
          out.add(callOff);
          const gone = () => out.delete(callOff);
          request.then(gone, gone);
        }
        return request;
      };
      const task = beginTask('the shift sweep', {
        total: shifts,
        cancel: () => {
          cancelled = true;
          for (const callOff of out) callOff();
          setState((s) => ({ sweeping: false, sweep: s.sweep ? { ...s.sweep, cancelled: true } : null }));
        },
      });
      cancelSweep = task.cancel;
      setState({ sweeping: true });
      try {
        const target = (await classify(applyWhatIf(selected, base))).predicted;
        if (cancelled) return;
        const points: SweepPoint[] = [];
        for (let shift = min; shift <= max; shift++) points.push({ shift, x: Number.NaN, y: Number.NaN });
        setState({ sweep: { target, points, done: 0 } });
        for (let i = 0; i < points.length; i++) {
          const { shift } = points[i];
          const [alongX, alongY] = await Promise.all([classify(applyWhatIf(selected, { ...base, shiftX: shift })), classify(applyWhatIf(selected, { ...base, shiftY: shift }))]);
          if (cancelled || closed || ui.getState().selected?.pixels !== selected) return;
          points[i] = { shift, x: alongX.probabilities[target], y: alongY.probabilities[target] };
          setState({ sweep: { target, points: points.slice(), done: i + 1 } });
          task.progress(i + 1);
        }
      } catch (err) {
        if (!cancelled && !isCancelled(err)) setState({ explainError: messageOf(err) });
      } finally {
        task.end();
        if (cancelSweep === task.cancel) cancelSweep = () => undefined;
        if (!cancelled) setState({ sweeping: false });
      }
    },
    cancelSweep() {
      cancelSweep();
    },
  };

  reload();
  return {
    actions,
    close: () => {
      closed = true;
      if (timer) clearTimeout(timer);
      offHealth();
      offConnection();
      offUi();
    },
  };
}
