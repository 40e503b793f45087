// What the buttons do. Each request's answer (an AppState) is folded into the
// store at once, so the UI does not wait for the matching status event; a
// rejected request becomes the notice the user sees, and nothing else changes.
//
// Settings edited while training apply at once (as a param group's lr may change between
// PyTorch steps): the changed ones, all but the network, go to the trainer a moment after
// the last keystroke, so typing "0.005" does not train a step with "0.00".
import { MAX_STEPS_PER_REQUEST, NETWORK_KEYS, type AppState, type DigitrainApi, type SamplePrediction, type TrainConfig } from '../../shared/contract';
import { messageOf } from '../../shared/messageOf';
import { epochsDoneProblem, startProblem } from './draftCheck';
import { changedSettings, fieldProblem, needsReset, reduceAnswer, reduceAppState, reduceClassification, type ChartView, type SelectedInput, type UiState, type UiStore } from './store';

/** A pause in typing this long applies the edited settings to a run in progress. */
export const APPLY_DELAY_MS = 600;

/** The draft's changes the trainer can take while it runs: every changed setting but the network's. */
export function liveChanges(config: TrainConfig, draft: TrainConfig): Partial<TrainConfig> {
  const patch: Partial<TrainConfig> = {};
  for (const key of changedSettings(config, draft)) {
    if ((NETWORK_KEYS as readonly string[]).includes(key)) continue;
    (patch as Record<string, unknown>)[key] = draft[key];
  }
  return patch;
}

/** Why Train or Step cannot start from this state (an invalid setting, a network that cannot be built or needs Reset), or null. */
function whyNotStart(state: UiState): string | null {
  const problem = startProblem(state);
  if (problem) return `${problem}.`;
  if (needsReset(state)) return 'The network or the seed changed: press Reset to build the new network first.';
  const done = epochsDoneProblem(state);
  if (done) return `${done}.`;
  return null;
}

export interface Actions {
  train(): Promise<void>;
  /** Exactly `count` steps with the panel's settings, then the selected digit is classified again. */
  step(count: number): Promise<void>;
  stop(): Promise<void>;
  /** Back to the weights of the best evaluation; the curves are redrawn up to it. */
  restoreBest(): Promise<void>;
  reset(): Promise<void>;
  setDraft(patch: Partial<TrainConfig>): void;
  selectSample(sample: SamplePrediction): Promise<void>;
  selectInput(input: SelectedInput): Promise<void>;
  reclassify(): Promise<void>;
  selectUnit(unit: number | null): void;
  setOnlyMistakes(on: boolean): void;
  dismissNotice(): void;
  /** A settings field's text is invalid (`problem`), or valid again (null). */
  setFieldError(field: string, problem: string | null): void;
  setChartView(patch: Partial<ChartView>): void;
}

export function createActions(api: DigitrainApi, store: UiStore, applyDelayMs = APPLY_DELAY_MS): Actions {
  const { getState, setState } = store;

  async function request(run: () => Promise<AppState>): Promise<void> {
    try {
      const app = await run();
      setState((s) => ({ ...reduceAnswer(s, app), notice: null }));
    } catch (err) {
      setState({ notice: messageOf(err) });
    }
  }

  // Classification answers can overtake one another; only the newest request may land.
  let classifyTicket = 0;
  async function classify(): Promise<void> {
    const selected = getState().selected;
    if (!selected) return;
    const ticket = ++classifyTicket;
    try {
      const c = await api.classify(selected.pixels);
      if (ticket === classifyTicket) setState(reduceClassification(c));
    } catch (err) {
      if (ticket === classifyTicket) setState({ notice: messageOf(err), classification: null });
    }
  }

  let applyTimer: ReturnType<typeof setTimeout> | null = null;
  /** While training, send what changed (once typing pauses), unless a field is invalid. */
  function applyLater(): void {
    if (applyTimer) clearTimeout(applyTimer);
    applyTimer = setTimeout(() => {
      applyTimer = null;
      const s = getState();
      if (s.status !== 'training' || s.stopRequested || fieldProblem(s)) return;
      const patch = liveChanges(s.config, s.draft);
      // Not train(): a Stop that overtakes this on its way must not be undone by it.
      if (Object.keys(patch).length > 0) void request(() => api.applySettings(patch));
    }, applyDelayMs);
  }

  async function selectInput(input: SelectedInput): Promise<void> {
    setState({ selected: input, classification: null });
    await classify();
  }

  // One step request at a time: presses made while one is out (a held key repeats faster than
  // a step comes back) are added up and sent together when it returns, so none is lost.
  let stepsWanted = 0;
  let stepping = false;
  /** Stop requests not answered yet. */
  let stopsOut = 0;

  return {
    async step(count) {
      const s = getState();
      if (s.connection !== 'ready' || (s.status !== 'idle' && s.status !== 'error') || s.stopRequested) return;
      const refused = whyNotStart(s);
      if (refused) {
        setState({ notice: refused });
        return;
      }
      stepsWanted = Math.min(stepsWanted + count, MAX_STEPS_PER_REQUEST);
      if (stepping) return;
      stepping = true;
      try {
        while (stepsWanted > 0) {
          const take = stepsWanted;
          stepsWanted = 0;
          await request(() => api.step(getState().draft, take));
          if (getState().status !== 'idle' || getState().stopRequested) break;
        }
        stepsWanted = 0;
        await classify();
      } finally {
        stepping = false;
      }
    },
    async restoreBest() {
      try {
        const app = await api.restoreBest();
        setState((s) => ({ ...reduceAppState(s, app), notice: null }));
        await classify();
      } catch (err) {
        setState({ notice: messageOf(err) });
      }
    },
    async train() {
      const s = getState();
      if (s.stopRequested) return;
      // Steps pressed before are dropped: they would only be refused once training runs.
      stepsWanted = 0;
      const refused = whyNotStart(s);
      if (refused) {
        setState({ notice: refused });
        return;
      }
      await request(() => api.train(s.draft));
    },
    async stop() {
      // From the press until the trainer says it stopped: "Stopping…", and nothing that could start it again.
      stepsWanted = 0;
      if (applyTimer) clearTimeout(applyTimer);
      applyTimer = null;
      stopsOut++;
      setState({ stopRequested: true });
      try {
        const app = await api.stop();
        stopsOut--;
        setState((s) => ({ ...reduceAnswer(s, app), notice: null, stopRequested: stopsOut > 0 }));
      } catch (err) {
        stopsOut--;
        setState({ stopRequested: stopsOut > 0, notice: messageOf(err) });
      }
    },
    reset() {
      const problem = startProblem(getState());
      if (problem) {
        setState({ notice: `${problem}.` });
        return Promise.resolve();
      }
      return request(() => api.reset(getState().draft));
    },
    setDraft(patch) {
      setState((s) => ({ draft: { ...s.draft, ...patch } }));
      if (getState().status === 'training') applyLater();
    },
    selectSample(sample) {
      return selectInput({
        pixels: Float32Array.from(sample.pixels, (v) => v / 255),
        label: sample.label,
        source: `test image #${sample.index}`,
      });
    },
    selectInput,
    reclassify: classify,
    selectUnit(unit) {
      setState({ selectedUnit: unit });
    },
    setOnlyMistakes(on) {
      setState({ onlyMistakes: on });
    },
    dismissNotice() {
      setState({ notice: null });
    },
    setFieldError(field, problem) {
      setState((s) => {
        if ((s.fieldErrors[field] ?? null) === problem) return s;
        const fieldErrors = { ...s.fieldErrors };
        if (problem === null) delete fieldErrors[field];
        else fieldErrors[field] = problem;
        return { fieldErrors };
      });
      // A fixed field may release edits that waited for it.
      if (problem === null && getState().status === 'training') applyLater();
    },
    setChartView(patch) {
      setState((s) => ({ chartView: { ...s.chartView, ...patch } }));
    },
  };
}
