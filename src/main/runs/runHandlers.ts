// The run requests of the contract, on top of a runs folder and the training host, for both
// hosts: the worker's records are kept as they arrive (and the renderer told), the list and the
// records are read from the folder, a run's weights are reopened through the worker, and an
// export hands its record and weights to the host's own way of saving files (a download in the
// browser, a save dialog in Electron).
import type { SaveResult } from '../../shared/contract';
import { messageOf } from '../../shared/messageOf';
import type { RunRecord } from '../../shared/runs';
import type { ProducedFile } from '../../shared/weightsFiles';
import type { RequestHandlers } from '../training/requestHandlers';
import type { TrainingHost } from '../training/trainingHost';
import { runCsv, runTensorboardEvents, tensorboardFileName } from './runExports';
import type { RunStore } from './runStore';

export type RunsHandlers = Pick<RequestHandlers, 'listRuns' | 'getRuns' | 'renameRun' | 'deleteRun' | 'openRun' | 'exportRun'>;

/** Saves a produced file (and its companion) the host's way. */
export type SaveProducedFile = (file: ProducedFile, title: string) => Promise<SaveResult>;

export interface RunService {
  handlers: RunsHandlers;
  /** Stops keeping the worker's records. */
  dispose(): void;
  /** Resolves when every record received so far has been written (tests, shutdown). */
  idle(): Promise<void>;
}

export function createRunService(host: TrainingHost, store: RunStore, saveFile: SaveProducedFile): RunService {
  let pending: Promise<unknown> = Promise.resolve();
  const unsubscribe = host.onRun((recorded) => {
    pending = store.save(recorded.run, recorded.weights).then(
      (summary) => host.notify('runSaved', summary),
      (error: unknown) => host.notify('error', { message: `The run could not be kept in ${store.dir}: ${messageOf(error)}` }),
    );
  });

  return {
    dispose: unsubscribe,
    idle: () => pending.then(() => undefined),
    handlers: {
      listRuns: () => store.list(),
      getRuns: (ids) => store.records(ids),
      renameRun: (id, name) => store.rename(id, name),
      deleteRun: (id) => store.remove(id),
      async openRun(id) {
        const { record, weights } = await store.files(id);
        if (!weights) throw new Error(`the weights of "${record.name}" are missing from the runs folder; its curves can still be compared`);
        // Its curves, test points and settings timeline go along, to be drawn at once.
        const run = { name: record.name, history: record.history, evaluations: record.evaluations, settings: record.settings };
        const result = await host.request('loadWeightsFile', { name: `${runFileStem(record)}.safetensors`, bytes: weights, run });
        return { ...result, name: record.name };
      },
      async exportRun(id, format = 'record') {
        const { record, recordText, weights } = await store.files(id);
        const stem = runFileStem(record);
        // For other tools: the curves as CSV, or a TensorBoard event file (put it in a folder of its own: tensorboard --logdir that folder).
        if (format === 'csv') return saveFile({ name: `${stem}.csv`, bytes: new TextEncoder().encode(runCsv(record)) }, `Export run "${record.name}" as CSV`);
        if (format === 'tensorboard') return saveFile({ name: tensorboardFileName(record), bytes: runTensorboardEvents(record) }, `Export run "${record.name}" for TensorBoard`);
        const file: ProducedFile = { name: `${stem}.json`, bytes: new TextEncoder().encode(recordText) };
        if (weights) file.companion = { name: `${stem}.safetensors`, bytes: weights };
        return saveFile(file, `Export run "${record.name}"`);
      },
    },
  };
}

/** A file name for a run's export: `digitrain-run-<its name, as letters, digits and dashes>`. */
export function runFileStem(record: Pick<RunRecord, 'name' | 'id'>): string {
  const slug = record.name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `digitrain-run-${slug || record.id}`;
}
