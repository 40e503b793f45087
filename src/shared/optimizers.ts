// The registry of optimizers: each one's hyperparameters (ranges and defaults from one
// table) and the names of its per-parameter state, as PyTorch calls them. Validation, the
// CLI's flags, weights files and the settings panel derive from it; the engine side (how to
// build each one) is main/training/optimizers.ts. To add one, see docs/DESIGN.md,
// "Adding an optimizer". The learning-rate schedules' settings are hyperparameters too, in
// the same table; shared/schedules.ts says which schedule takes which.
import type { NumberSetting } from './model/settings';
import type { ScheduleConfig } from './schedules';

/** Every hyperparameter any optimizer takes, with its one range. */
export const HYPERPARAMETERS = {
  lr: {
    kind: 'number',
    label: 'Learning rate',
    help: 'How far each step moves the weights along the gradient. Too large and the loss jumps around or explodes to NaN; too small and learning crawls.',
    min: 1e-7,
    max: 10,
    default: 1e-3,
  },
  momentum: {
    kind: 'number',
    label: 'Momentum',
    help: 'How much of the previous steps\' direction each step keeps (0 = plain SGD). Smooths noisy gradients and speeds up; close to 1 it overshoots.',
    min: 0,
    max: 0.999,
    default: 0.9,
  },
  weightDecay: {
    kind: 'number',
    label: 'Weight decay',
    help: 'Pulls every weight a little towards zero at each step, so the network prefers small weights and overfits less. Too large and it cannot fit the data at all.',
    min: 0,
    max: 1,
    default: 0,
  },
  // The learning-rate schedules' settings (shared/schedules.ts says which schedule takes which).
  decayEvery: {
    kind: 'int',
    label: 'Decay every (steps)',
    help: 'Step decay multiplies the learning rate by the decay factor after every this many steps.\nIn PyTorch: StepLR step_size.',
    min: 1,
    max: 10_000_000,
    default: 1000,
  },
  decayFactor: {
    kind: 'number',
    label: 'Decay factor',
    help: 'What the learning rate is multiplied by at each decay: 0.5 halves it, 1 keeps it.\nIn PyTorch: gamma.',
    min: 0.001,
    max: 1,
    default: 0.5,
  },
  warmupSteps: {
    kind: 'int',
    label: 'Warm-up (steps)',
    help: 'The learning rate climbs in a straight line from its start value to the full rate over this many steps, so the first noisy updates cannot throw the weights far.',
    min: 1,
    max: 1_000_000,
    default: 100,
  },
  warmupStartFactor: {
    kind: 'number',
    label: 'Warm-up starts at (× lr)',
    help: 'The learning rate at the first step of the warm-up, as a fraction of the full rate.\nIn PyTorch: LinearLR start_factor.',
    min: 0.001,
    max: 1,
    default: 0.01,
  },
  scheduleSteps: {
    kind: 'int',
    label: 'Schedule length (steps)',
    help: 'Steps until the cosine reaches its final learning rate (warm-up included); after that the rate stays there. About the number of steps you mean to train.',
    min: 2,
    max: 10_000_000,
    default: 2000,
  },
  minLrFactor: {
    kind: 'number',
    label: 'Final lr (× lr)',
    help: 'Where the cosine ends, as a fraction of the learning rate. 0 ends at a standstill.\nIn PyTorch: eta_min = this × lr.',
    min: 0,
    max: 1,
    default: 0,
  },
} as const satisfies Record<string, NumberSetting>;

export type HyperName = keyof typeof HYPERPARAMETERS;

export interface OptimizerEntry {
  label: string;
  description: string;
  /** The hyperparameters it takes, with its own defaults. */
  defaults: Partial<Record<HyperName, number>> & { lr: number };
  /** Per-parameter state keys (PyTorch's `optimizer.state[p]` keys). */
  stateKeys: readonly string[];
  /** Whether every state key exists for every parameter after the first step (SGD without momentum keeps none). */
  stateAlwaysKept: boolean;
}

export const OPTIMIZERS = {
  adam: {
    label: 'Adam',
    description: 'Adapts the step size of every weight from running averages of its gradient and squared gradient; works well with little tuning. Weight decay pulls every weight a little towards 0 at each step.\nIn PyTorch: torch.optim.Adam (weight decay added to the gradient, L2).',
    defaults: { lr: 1e-3, weightDecay: 0 },
    stateKeys: ['exp_avg', 'exp_avg_sq'],
    stateAlwaysKept: true,
  },
  adamw: {
    label: 'AdamW',
    description: 'Adam with decoupled weight decay: the weights shrink by lr × decay at each step, apart from the adaptive update, which regularises better than adding it to the gradient.',
    defaults: { lr: 1e-3, weightDecay: 0.01 },
    stateKeys: ['exp_avg', 'exp_avg_sq'],
    stateAlwaysKept: true,
  },
  sgd: {
    label: 'SGD with momentum',
    description: 'Moves every weight by the learning rate times its gradient, keeping some of the previous direction (momentum). Weight decay is added to the gradient (L2).',
    defaults: { lr: 0.01, momentum: 0.9, weightDecay: 0 },
    stateKeys: ['momentum_buffer'],
    stateAlwaysKept: false,
  },
} as const satisfies Record<string, OptimizerEntry>;

export type OptimizerName = keyof typeof OPTIMIZERS;
export const OPTIMIZER_NAMES = Object.keys(OPTIMIZERS) as OptimizerName[];

/**
 * The optimizer a run uses: its type, a value for each of its hyperparameters, and how its
 * learning rate changes over the steps (shared/schedules.ts; absent means constant).
 */
export interface OptimizerConfig {
  type: OptimizerName;
  hyper: Record<string, number>;
  schedule?: ScheduleConfig;
}

export function isOptimizerName(value: unknown): value is OptimizerName {
  return typeof value === 'string' && Object.hasOwn(OPTIMIZERS, value);
}

/** The hyperparameter names `type` takes, in the registry's order. */
export function hyperNamesOf(type: OptimizerName): HyperName[] {
  return Object.keys(OPTIMIZERS[type].defaults) as HyperName[];
}

export function defaultOptimizer(type: OptimizerName): OptimizerConfig {
  return { type, hyper: { ...OPTIMIZERS[type].defaults }, schedule: { type: 'constant', hyper: {} } };
}

/** Switching type keeps the values the two share (the learning rate above all) and fills in the new one's defaults. */
export function switchOptimizer(current: OptimizerConfig, type: OptimizerName): OptimizerConfig {
  const hyper: Record<string, number> = {};
  const defaults: Readonly<Record<string, number>> = OPTIMIZERS[type].defaults;
  for (const name of hyperNamesOf(type)) hyper[name] = Object.hasOwn(current.hyper, name) ? current.hyper[name] : defaults[name];
  return current.schedule ? { type, hyper, schedule: current.schedule } : { type, hyper };
}
