// The registry of learning-rate schedules: how the optimizer's learning rate changes over the
// steps of a run. A schedule is part of the optimizer's config (`optimizer.schedule`), and its
// settings are optimizer hyperparameters: their ranges, labels and help live in
// HYPERPARAMETERS (shared/optimizers.ts) beside lr and momentum, so validation, the CLI's
// flags, weights files and the settings panel treat them like any other. Each entry lists the
// hyperparameters it takes with its defaults, as OPTIMIZERS does, and its factor of the
// learning rate at each step, in the formulas of torch.optim.lr_scheduler.
//
// Steps count as PyTorch's `last_epoch` does when `scheduler.step()` is called after every
// `optimizer.step()`: the factor at t is the one the (t+1)-th step uses, so t = 0 is the first
// step. Past `scheduleSteps` the cosines stay at their final rate (PyTorch's
// CosineAnnealingLR would climb again: it is periodic).
import type { HyperName } from './optimizers';

export interface ScheduleEntry {
  label: string;
  /** One or two sentences for a learner, naming PyTorch's equivalent. */
  description: string;
  /** The hyperparameters it takes (entries of HYPERPARAMETERS), with its own defaults. */
  defaults: Partial<Record<HyperName, number>>;
  /** The learning rate at step t (0-based) as a fraction of the optimizer's lr. */
  factor(t: number, hyper: Readonly<Record<string, number>>): number;
  /** A problem between its settings (each is already in range), or null. */
  check?(hyper: Readonly<Record<string, number>>): string | null;
}

/** Half a cosine from 1 down to `min` over `length` steps, then `min`: CosineAnnealingLR's closed form. */
function cosine(t: number, length: number, min: number): number {
  if (t >= length) return min;
  return min + ((1 - min) * (1 + Math.cos((Math.PI * t) / length))) / 2;
}

export const SCHEDULES = {
  constant: {
    label: 'Constant',
    description: 'The same learning rate at every step.',
    defaults: {},
    factor: () => 1,
  },
  step: {
    label: 'Step decay',
    description: 'The learning rate is multiplied by the decay factor every few steps: big moves first, then finer ones.\nIn PyTorch: StepLR.',
    defaults: { decayEvery: 1000, decayFactor: 0.5 },
    factor: (t, h) => h.decayFactor ** Math.floor(t / h.decayEvery),
  },
  cosine: {
    label: 'Cosine',
    description: "The learning rate glides down along half a cosine to its final value over the schedule's length, slowly at first and at the end.\nIn PyTorch: CosineAnnealingLR.",
    defaults: { scheduleSteps: 2000, minLrFactor: 0 },
    factor: (t, h) => cosine(t, h.scheduleSteps, h.minLrFactor),
  },
  'warmup-cosine': {
    label: 'Warm-up + cosine',
    description:
      'The learning rate climbs in a straight line to its full value, then follows a cosine down. Common for large models and batches.\nIn PyTorch: LinearLR then CosineAnnealingLR, in a SequentialLR.',
    defaults: { warmupSteps: 100, warmupStartFactor: 0.01, scheduleSteps: 2000, minLrFactor: 0 },
    factor: (t, h) => {
      const warmup = h.warmupSteps;
      if (t < warmup) return h.warmupStartFactor + ((1 - h.warmupStartFactor) * t) / warmup;
      return cosine(t - warmup, h.scheduleSteps - warmup, h.minLrFactor);
    },
    check: (h) => (h.scheduleSteps > h.warmupSteps ? null : `the schedule's length (${h.scheduleSteps} steps) must be longer than its warm-up (${h.warmupSteps})`),
  },
} as const satisfies Record<string, ScheduleEntry>;

export type ScheduleName = keyof typeof SCHEDULES;
export const SCHEDULE_NAMES = Object.keys(SCHEDULES) as ScheduleName[];

/** A schedule and a value for each of its hyperparameters. */
export interface ScheduleConfig {
  type: ScheduleName;
  hyper: Record<string, number>;
}

export const CONSTANT_SCHEDULE: Readonly<ScheduleConfig> = Object.freeze({ type: 'constant', hyper: Object.freeze({}) });

export function isScheduleName(value: unknown): value is ScheduleName {
  return typeof value === 'string' && Object.hasOwn(SCHEDULES, value);
}

/** The hyperparameter names `type` takes, in the registry's order. */
export function scheduleHyperNames(type: ScheduleName): HyperName[] {
  return Object.keys(SCHEDULES[type].defaults) as HyperName[];
}

/** Every hyperparameter some schedule takes (the CLI routes their flags to the schedule). */
export const SCHEDULE_HYPER_NAMES: readonly HyperName[] = [...new Set(SCHEDULE_NAMES.flatMap(scheduleHyperNames))];

/** Switching type keeps the values the two share (the length above all) and fills in the new one's defaults. */
export function switchSchedule(current: ScheduleConfig, type: ScheduleName): ScheduleConfig {
  const defaults: Readonly<Record<string, number>> = SCHEDULES[type].defaults;
  const hyper: Record<string, number> = {};
  for (const name of scheduleHyperNames(type)) hyper[name] = Object.hasOwn(current.hyper, name) ? current.hyper[name] : defaults[name];
  return { type, hyper };
}

/** The learning rate for step t (0-based: the first step is t = 0) of an optimizer config. */
export function learningRateAt(optimizer: { hyper: Readonly<Record<string, number>>; schedule?: ScheduleConfig }, t: number): number {
  const schedule = optimizer.schedule ?? CONSTANT_SCHEDULE;
  return optimizer.hyper.lr * SCHEDULES[schedule.type].factor(t, schedule.hyper);
}
