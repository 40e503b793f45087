// What the training session knows about the run it is in, beyond its curves: when it began,
// what it started from, how long it has trained, its progress against time, and whether it has
// changed since it was last recorded. The session turns it into a record at each checkpoint
// (runs/runFile.ts is how it is stored).
import { randomUUID } from 'node:crypto';
import type { AppState, EvaluationPoint, SettingsChange, TrainConfig } from '../../shared/contract';
import { RUN_LIMITS, withSettings, type RunSource } from '../../shared/runs';
import type { RunToSave } from '../runs/runStore';

export class RunTracker {
  readonly id = randomUUID().replaceAll('-', '');
  readonly started: string;
  private trainingMs = 0;
  private trainingSince: number | null = null;
  private savedStep: number;
  /** When the last record was made (ms, the session's clock), to space checkpoints while training. */
  lastCheckpointAt: number;
  private readonly timeline = { step: [] as number[], epoch: [] as number[], seconds: [] as number[] };
  /** The settings timeline (shared/runs.ts withSettings): each change with the first step it applied to. */
  private settingsTimeline: SettingsChange[];

  constructor(
    /** Where the run started from (null: fresh weights from the seed). */
    readonly origin: string | null,
    /** The step it started at (0 after Reset; the file's step after a Load). */
    readonly startStep: number,
    private readonly now: () => number,
    private readonly source: RunSource = 'app',
    date = new Date(),
    /** The timeline it continues (Restore best: the run before's, up to the best step; a reopened run: its own). */
    settings: readonly SettingsChange[] = [],
  ) {
    this.settingsTimeline = settings.filter((entry) => entry.step <= startStep).map((entry) => structuredClone(entry));
    this.started = date.toISOString();
    this.savedStep = startStep;
    this.lastCheckpointAt = now();
  }

  startTraining(): void {
    this.trainingSince ??= this.now();
  }

  stopTraining(): void {
    if (this.trainingSince === null) return;
    this.trainingMs += this.now() - this.trainingSince;
    this.trainingSince = null;
  }

  /** Time spent in step requests (outside the training loop). */
  addTraining(ms: number): void {
    this.trainingMs += ms;
  }

  get seconds(): number {
    const live = this.trainingSince === null ? 0 : this.now() - this.trainingSince;
    return (this.trainingMs + live) / 1000;
  }

  /** A point of progress against time; past the bound every other point goes and the spacing doubles. */
  mark(step: number, epoch: number): void {
    const { timeline } = this;
    const last = timeline.step[timeline.step.length - 1];
    if (last !== undefined && step <= last) return;
    timeline.step.push(step);
    timeline.epoch.push(epoch);
    timeline.seconds.push(this.seconds);
    if (timeline.step.length >= RUN_LIMITS.timelinePoints) {
      for (const key of ['step', 'epoch', 'seconds'] as const) timeline[key] = timeline[key].filter((_, i) => i % 2 === 1);
    }
  }

  /** The run trains with `config` from `step` on (the next step to take). */
  noteSettings(step: number, config: TrainConfig): void {
    this.settingsTimeline = withSettings(this.settingsTimeline, step, config);
  }

  /** The timeline so far (a copy). */
  get settings(): SettingsChange[] {
    return structuredClone(this.settingsTimeline);
  }

  /** Whether the run has taken steps since it started or was last recorded. */
  isDirty(step: number): boolean {
    return step !== this.savedStep;
  }

  recorded(step: number): void {
    this.savedStep = step;
    this.lastCheckpointAt = this.now();
  }

  /** The record of the run as it stands: the session's state and what this tracker knows. */
  record(state: Pick<AppState, 'config' | 'step' | 'epoch' | 'lastEvaluation' | 'history'>): RunToSave {
    const evaluations = thinned(state.history.evaluations, RUN_LIMITS.evaluations);
    const final = state.lastEvaluation?.step === state.step ? state.lastEvaluation : null;
    const best = evaluations.reduce<EvaluationPoint | null>((most, e) => (most === null || e.testAccuracy > most.testAccuracy ? e : most), null);
    // A run that never noted settings (the CLI's, or one that took no step) trained with one set throughout.
    const settings = this.settingsTimeline.length > 0 ? this.settings : [{ step: this.startStep + 1, config: structuredClone(state.config) }];
    this.mark(state.step, state.epoch);
    return {
      id: this.id,
      source: this.source,
      started: this.started,
      config: state.config,
      settings,
      origin: this.origin,
      step: state.step,
      steps: state.step - this.startStep,
      epoch: state.epoch,
      seconds: this.seconds,
      bestTestAccuracy: best?.testAccuracy ?? null,
      bestStep: best?.step ?? null,
      finalTestAccuracy: final?.testAccuracy ?? null,
      finalTestLoss: final?.testLoss ?? null,
      history: { step: state.history.step, loss: state.history.loss, accuracy: state.history.accuracy },
      timeline: { step: [...this.timeline.step], epoch: [...this.timeline.epoch], seconds: [...this.timeline.seconds] },
      evaluations,
      confusion: final?.confusion ?? null,
    };
  }
}

/** At most `max` of `items`, evenly spread, the last one always kept. */
export function thinned<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const stride = items.length / max;
  const out: T[] = [];
  for (let i = 0; i < max - 1; i++) out.push(items[Math.floor(i * stride)]);
  out.push(items[items.length - 1]);
  return out;
}
