// The Runs panel's state, apart from the training store: the kept runs, which are selected for
// comparison (their records loaded), and how their curves are laid out. The Node side tells us
// when a run is kept (`runSaved`), and the list is read again.
import { noteExported } from '../lessons/lessonsStore';
import { createStore } from 'zustand/vanilla';
import type { DigitrainApi } from '../../shared/contract';
import { messageOf } from '../../shared/messageOf';
import { RUN_LIMITS, type RunExportFormat, type RunList, type RunRecord } from '../../shared/runs';

export type RunsAxis = 'step' | 'epoch' | 'seconds';

export interface RunsState {
  list: RunList | null;
  /** Ids selected for comparison, in the order they were picked. */
  selected: string[];
  /** Records of the selected runs, by id. */
  records: Record<string, RunRecord>;
  axis: RunsAxis;
  /** The compared losses on a logarithmic axis (as the live chart's toggle). */
  logLoss: boolean;
  /** The last failure of a runs request, or an outcome to show (an export's file name). */
  message: { ok: boolean; text: string } | null;
}

export const runsStore = createStore<RunsState>(() => ({ list: null, selected: [], records: {}, axis: 'step', logLoss: false, message: null }));

export interface RunsActions {
  refresh(): Promise<void>;
  toggle(id: string): Promise<void>;
  setAxis(axis: RunsAxis): void;
  setLogLoss(on: boolean): void;
  rename(id: string, name: string): Promise<void>;
  remove(id: string): Promise<void>;
  reopen(id: string): Promise<void>;
  exportRun(id: string, format?: RunExportFormat): Promise<void>;
  dismiss(): void;
}

/**
 * `reload` redraws the training panels from the Node side's state: after a reopen, the run's
 * stored curves, test points, confusion matrix and samples are there at once.
 */
export function createRunsActions(api: DigitrainApi, store = runsStore, reload: () => Promise<void> = async () => undefined): RunsActions {
  const { getState, setState } = store;
  const fail = (what: string) => (error: unknown) => setState({ message: { ok: false, text: `${what}: ${messageOf(error)}` } });

  /** Takes a fresh list: selections of runs that are gone are dropped, records of updated runs read again. */
  async function apply(list: RunList): Promise<void> {
    const ids = new Set(list.runs.map((r) => r.id));
    const { selected, records } = getState();
    const kept = selected.filter((id) => ids.has(id));
    const stale = kept.filter((id) => records[id]?.updated !== list.runs.find((r) => r.id === id)?.updated);
    setState({ list, selected: kept });
    if (stale.length > 0) await load(stale);
  }

  async function load(ids: string[]): Promise<void> {
    const fresh = await api.getRuns(ids);
    setState((s) => {
      const records = { ...s.records };
      for (const record of fresh) records[record.id] = record;
      return { records };
    });
  }

  return {
    refresh: () => api.listRuns().then(apply, fail('The runs could not be listed')),
    async toggle(id) {
      const { selected } = getState();
      if (selected.includes(id)) {
        setState({ selected: selected.filter((s) => s !== id) });
        return;
      }
      if (selected.length >= RUN_LIMITS.compared) {
        setState({ message: { ok: false, text: `At most ${RUN_LIMITS.compared} runs can be compared at once: unselect one first.` } });
        return;
      }
      setState({ selected: [...selected, id] });
      if (!getState().records[id]) await load([id]).catch(fail('The run could not be read'));
    },
    setAxis: (axis) => setState({ axis }),
    setLogLoss: (logLoss) => setState({ logLoss }),
    rename: (id, name) => api.renameRun(id, name).then(apply, fail('The run could not be renamed')),
    remove: (id) => api.deleteRun(id).then(apply, fail('The run could not be deleted')),
    async reopen(id) {
      try {
        const result = await api.openRun(id);
        await reload();
        const accuracy = result.evaluation ? ` — test accuracy ${(result.evaluation.testAccuracy * 100).toFixed(2)}%` : '';
        setState({ message: { ok: true, text: `Reopened "${result.name}"${accuracy}` } });
      } catch (error) {
        fail('The run could not be reopened')(error);
      }
    },
    async exportRun(id, format) {
      try {
        const result = format ? await api.exportRun(id, format) : await api.exportRun(id);
        if (result.saved) noteExported();
        if (result.saved) setState({ message: { ok: true, text: `Exported ${result.name}${result.companion ? ` and ${result.companion}` : ''}` } });
      } catch (error) {
        fail('The run could not be exported')(error);
      }
    },
    dismiss: () => setState({ message: null }),
  };
}

/** Keeps the list fresh: at start, whenever a run is kept, and after a reconnection. */
export function connectRuns(api: DigitrainApi, actions: RunsActions): () => void {
  void actions.refresh();
  const offs = [
    api.on('runSaved', () => void actions.refresh()),
    api.on('connection', ({ connected }) => {
      if (connected) void actions.refresh();
    }),
  ];
  return () => offs.forEach((off) => off());
}
