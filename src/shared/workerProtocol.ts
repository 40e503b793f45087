// Messages between the training host (main thread) and the training worker.
//
// Commands carry an id and are answered exactly once by a reply with the same id,
// in every state. Events flow from the worker without being asked. To add a command,
// add an entry to `WorkerCommands` and its handler where the worker composes them
// (main/training/trainingWorker.ts).
import type { AppState, Classification, EventMap, EventName, Evaluation, LoadResult, TrainConfig } from './contract';
import type { TestPage, TestPageQuery, UnitInspection, UnitQuery } from './inspect';
import type { MyDigitsResult } from './myDigits';
import type { Explanation } from './insight/explain';
import type { HealthHistoryView } from './insight/health';
import type { ReopenedRun, RunRecord } from './runs';
import type { StepGraph, StepGraphQuery } from './stepGraph';
import type { ProducedFile, WeightsFileBytes, WeightsFileKind } from './weightsFiles';

export interface WorkerCommands {
  getState: { args: Record<string, never>; result: AppState };
  train: { args: { config: Partial<TrainConfig> }; result: AppState };
  applySettings: { args: { config: Partial<TrainConfig> }; result: AppState };
  step: { args: { config: Partial<TrainConfig>; count: number }; result: AppState };
  stop: { args: Record<string, never>; result: AppState };
  restoreBest: { args: Record<string, never>; result: AppState };
  reset: { args: { config: Partial<TrainConfig> }; result: AppState };
  evaluate: { args: Record<string, never>; result: Evaluation };
  classify: { args: { pixels: Float32Array }; result: Classification };
  /** The live model as file bytes (see weightsFiles.ts). */
  weightsFile: { args: { kind: WeightsFileKind }; result: ProducedFile };
  /**
   * Replaces the model from file bytes, after validating everything; answers with a fresh evaluation.
   * With `run`, the file is a kept run's: its stored settings come along too (not just its model).
   */
  loadWeightsFile: { args: WeightsFileBytes & { run?: ReopenedRun }; result: LoadResult };
  /** The learner's digits (ids, labels, 784 bytes each) for mixing and measuring; an empty list clears them. */
  setMyDigits: { args: { ids: string[]; labels: number[]; pixels: Uint8Array }; result: null };
  evaluateMyDigits: { args: Record<string, never>; result: MyDigitsResult | null };
  /** Looking inside the network (shared/inspect.ts, training/inspect/). */
  testPage: { args: { query: TestPageQuery }; result: TestPage };
  inspectUnit: { args: { query: UnitQuery }; result: UnitInspection };
  explain: { args: { pixels: Float32Array }; result: Explanation };
  getHealth: { args: Record<string, never>; result: HealthHistoryView };
  /** How it works: one step on one test digit as the engine records it (main/training/howItWorks/). */
  stepGraph: { args: { query: StepGraphQuery }; result: StepGraph };
}

/** A run recorded by the worker (see RunCheckpoint in main/training/session.ts): its record and its weights file. */
export interface RecordedRun {
  run: Omit<RunRecord, 'name' | 'updated' | 'bytes' | 'hasWeights'>;
  weights: Uint8Array;
}

export type WorkerCommandName = keyof WorkerCommands;
export type WorkerCommandArgs<K extends WorkerCommandName> = WorkerCommands[K]['args'];
export type WorkerCommandResult<K extends WorkerCommandName> = WorkerCommands[K]['result'];

/** Host → worker. `args` were validated by the host, where the request entered the Node side. */
export interface WorkerCommandMessage<K extends WorkerCommandName = WorkerCommandName> {
  id: number;
  type: K;
  args: WorkerCommandArgs<K>;
}

/** Worker → host. */
export type WorkerMessage =
  | { kind: 'reply'; id: number; ok: true; result: unknown }
  | { kind: 'reply'; id: number | null; ok: false; error: string }
  | { kind: 'event'; event: EventName; payload: EventMap[EventName] }
  | { kind: 'run'; recorded: RecordedRun };
