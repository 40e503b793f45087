// The registry of optimizers: each one's hyperparameters (ranges from one table, defaults and
// help of its own where they differ), the names of its per-parameter state as PyTorch calls
// them, and the rule for which of them exist given the hyperparameters. Validation, the
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
    help: "How much of the previous steps' direction each step keeps (0 = none). Smooths noisy gradients and speeds up; close to 1 it overshoots.",
    min: 0,
    max: 0.999,
    default: 0.9,
  },
  nesterov: {
    kind: 'int',
    onOff: true,
    label: 'Nesterov momentum',
    help: "Looks ahead: each step takes the gradient plus momentum × the kept direction, which overshoots less than plain momentum (PyTorch's nesterov=True). Needs momentum above 0.",
    min: 0,
    max: 1,
    default: 0,
  },
  alpha: {
    kind: 'number',
    label: 'Smoothing (alpha)',
    help: "How slowly the running average of the squared gradient forgets (PyTorch's alpha): close to 1 it averages over many steps; smaller, each step's size follows the last few gradients and gets noisy.",
    min: 0,
    max: 0.9999,
    default: 0.99,
  },
  centered: {
    kind: 'int',
    onOff: true,
    label: 'Centered',
    help: "Divides by the gradient's running variance instead of its running mean square (PyTorch's centered=True): steps stay larger when the gradient keeps one sign; costs one more buffer per weight.",
    min: 0,
    max: 1,
    default: 0,
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

/** Hyperparameters as a rule reads them: a config's `hyper`, or the engine's (which has more of them). */
type HyperValues = Readonly<Record<string, number>>;

export interface OptimizerEntry {
  label: string;
  description: string;
  /** The hyperparameters it takes, with its own defaults. */
  defaults: Partial<Record<HyperName, number>> & { lr: number };
  /** Help text of its own for a hyperparameter whose shared one does not fit it. */
  help?: Partial<Record<HyperName, string>>;
  /** Every per-parameter state key it may hold (PyTorch's `optimizer.state[p]` keys). */
  stateKeys: readonly string[];
  /** The state keys every parameter holds after a step, given the hyperparameters (RMSprop keeps grad_avg only when centered). */
  keptState(hyper: HyperValues): readonly string[];
  /** Why these (each in range) hyperparameters do not go together, or null. */
  check?(hyper: HyperValues): string | null;
}

export const OPTIMIZERS = {
  adam: {
    label: 'Adam',
    description:
      'Adapts the step size of every weight from running averages of its gradient and squared gradient; works well with little tuning. Weight decay pulls every weight a little towards 0 at each step.\nIn PyTorch: torch.optim.Adam (weight decay added to the gradient, L2).',
    defaults: { lr: 1e-3, weightDecay: 0 },
    stateKeys: ['exp_avg', 'exp_avg_sq'],
    keptState: () => ['exp_avg', 'exp_avg_sq'],
  },
  adamw: {
    label: 'AdamW',
    description: 'Adam with decoupled weight decay: the weights shrink by lr × decay at each step, apart from the adaptive update, which regularises better than adding it to the gradient.',
    defaults: { lr: 1e-3, weightDecay: 0.01 },
    stateKeys: ['exp_avg', 'exp_avg_sq'],
    keptState: () => ['exp_avg', 'exp_avg_sq'],
  },
  sgd: {
    label: 'SGD with momentum',
    description:
      'Moves every weight by the learning rate times its gradient, keeping some of the previous direction (momentum), with a look ahead if Nesterov is on. Weight decay is added to the gradient (L2).',
    defaults: { lr: 0.01, momentum: 0.9, nesterov: 0, weightDecay: 0 },
    help: {
      momentum: "How much of the previous steps' direction each step keeps (0 = plain SGD). Smooths noisy gradients and speeds up; close to 1 it overshoots.",
    },
    stateKeys: ['momentum_buffer'],
    keptState: (h) => ((h.momentum ?? 0) > 0 ? ['momentum_buffer'] : []),
    check: (h) => (h.nesterov && !((h.momentum ?? 0) > 0) ? 'Nesterov momentum needs momentum above 0' : null),
  },
  rmsprop: {
    label: 'RMSprop',
    description:
      "Divides each weight's step by a running average of its squared gradient, so every weight moves at about the same pace; optionally centered, and with momentum. Weight decay is added to the gradient (L2), as torch.optim.RMSprop does.",
    // PyTorch's defaults but the learning rate: its 1e-2 throws this small a network about at the first steps.
    defaults: { lr: 1e-3, alpha: 0.99, momentum: 0, centered: 0, weightDecay: 0 },
    help: {
      momentum: "Keeps this much of the previous steps' (already scaled) direction (0 = none, as PyTorch's default). Smooths the steps; close to 1 it overshoots.",
    },
    stateKeys: ['square_avg', 'momentum_buffer', 'grad_avg'],
    keptState: (h) => ['square_avg', ...((h.momentum ?? 0) > 0 ? ['momentum_buffer'] : []), ...(h.centered ? ['grad_avg'] : [])],
  },
  adagrad: {
    label: 'Adagrad',
    description:
      "Divides each weight's step by the root of the sum of all its squared gradients so far: weights with large or frequent gradients slow down, rare ones keep moving; every step is smaller than the last. Weight decay is added to the gradient (L2).",
    defaults: { lr: 1e-2, weightDecay: 0 },
    stateKeys: ['sum'],
    keptState: () => ['sum'],
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

/** Hyperparameter `name` as optimizer `type` has it: its own default and, where it has one, its own help. */
export function hyperSettingOf(type: OptimizerName, name: HyperName): NumberSetting {
  const entry: OptimizerEntry = OPTIMIZERS[type];
  const base: NumberSetting = HYPERPARAMETERS[name];
  return { ...base, default: entry.defaults[name] ?? base.default, help: entry.help?.[name] ?? base.help };
}

/** The state keys each parameter of a `type` optimizer holds after a step with these hyperparameters. */
export function keptStateOf(type: OptimizerName, hyper: HyperValues): readonly string[] {
  return (OPTIMIZERS[type] as OptimizerEntry).keptState(hyper);
}

/** Why `hyper` (each in range) does not go together for `type`, or null. */
export function hyperProblem(type: OptimizerName, hyper: HyperValues): string | null {
  return (OPTIMIZERS[type] as OptimizerEntry).check?.(hyper) ?? null;
}

/** The hyperparameter names `type` takes, in the registry's order. */
export function hyperNamesOf(type: OptimizerName): HyperName[] {
  return Object.keys(OPTIMIZERS[type].defaults) as HyperName[];
}

export function defaultOptimizer(type: OptimizerName): OptimizerConfig {
  return { type, hyper: { ...OPTIMIZERS[type].defaults }, schedule: { type: 'constant', hyper: {} } };
}

/**
 * Switching type keeps the values of the two's shared settings that the user changed, and gives the new one its own
 * defaults for the rest: SGD's default momentum 0.9 does not follow into RMSprop (default 0), a chosen 0.5 does.
 */
export function switchOptimizer(current: OptimizerConfig, type: OptimizerName): OptimizerConfig {
  const hyper: Record<string, number> = {};
  const defaults: Readonly<Record<string, number>> = OPTIMIZERS[type].defaults;
  const before: Readonly<Record<string, number>> = OPTIMIZERS[current.type].defaults;
  for (const name of hyperNamesOf(type)) {
    const changed = Object.hasOwn(current.hyper, name) && current.hyper[name] !== before[name];
    hyper[name] = changed ? current.hyper[name] : defaults[name];
  }
  return current.schedule ? { type, hyper, schedule: current.schedule } : { type, hyper };
}
