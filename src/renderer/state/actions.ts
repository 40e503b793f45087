// What the buttons do. Each request's answer (an AppState) is folded into the
// store at once, so the UI does not wait for the matching status event; a
// rejected request becomes the notice the user sees, and nothing else changes.
import type { AppState, DigitrainApi, SamplePrediction, TrainConfig } from '../../shared/contract';
import { messageOf } from '../../shared/messageOf';
import { needsReset, reduceAnswer, reduceClassification, type SelectedInput, type UiStore } from './store';

export interface Actions {
  train(): Promise<void>;
  stop(): Promise<void>;
  reset(): Promise<void>;
  setDraft(patch: Partial<TrainConfig>): void;
  selectSample(sample: SamplePrediction): Promise<void>;
  selectInput(input: SelectedInput): Promise<void>;
  reclassify(): Promise<void>;
  selectUnit(unit: number | null): void;
  setOnlyMistakes(on: boolean): void;
  dismissNotice(): void;
}

export function createActions(api: DigitrainApi, store: UiStore): Actions {
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
      if (ticket === classifyTicket) setState((s) => reduceClassification(s, c));
    } catch (err) {
      if (ticket === classifyTicket) setState({ notice: messageOf(err), classification: null });
    }
  }

  async function selectInput(input: SelectedInput): Promise<void> {
    setState({ selected: input, classification: null });
    await classify();
  }

  return {
    async train() {
      const s = getState();
      if (needsReset(s)) {
        setState({ notice: 'The network or the seed changed: press Reset to build the new network first.' });
        return;
      }
      await request(() => api.train(s.draft));
    },
    stop: () => request(() => api.stop()),
    reset: () => request(() => api.reset(getState().draft)),
    setDraft(patch) {
      setState((s) => ({ draft: { ...s.draft, ...patch } }));
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
  };
}
