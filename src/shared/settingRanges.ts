// The allowed range of every training setting, in one place. The contract's validation
// (validate.ts), the CLI's flags (cli/args.ts) and weights files (their hyperparameters
// and optimizer state) all check against these, so a value one of them accepts, all accept.
//
// The bounds are about sanity, not taste: an lr of 1e30 is finite but turns every loss
// into NaN from the second step, so it is refused where it enters instead.

export interface SettingRange {
  min: number;
  max: number;
  /** min itself is not allowed (lr > 0). */
  minExclusive?: boolean;
  /** max itself is not allowed (momentum < 1). */
  maxExclusive?: boolean;
  integer: boolean;
}

/** The largest learning rate any optimizer accepts: beyond it every run diverges at once. */
export const MAX_LR = 10;

export const SETTING_RANGES = {
  hidden: { min: 1, max: 4096, integer: true },
  lr: { min: 0, minExclusive: true, max: MAX_LR, integer: false },
  batchSize: { min: 1, max: 4096, integer: true },
  momentum: { min: 0, max: 1, maxExclusive: true, integer: false },
  epochs: { min: 0, minExclusive: true, max: 1_000_000, integer: false },
  seed: { min: 0, max: 0xffffffff, integer: true },
  evalEvery: { min: 1, max: 1_000_000_000, integer: true },
} as const satisfies Record<string, SettingRange>;

export type RangedSetting = keyof typeof SETTING_RANGES;

/**
 * The optimizer hyperparameters a weights file may carry (`optim.hyper`), by the names the
 * engine's optimizers use. lr and momentum are the settings above; the rest have no control
 * in the app, and a file may only bring values PyTorch itself would train with sensibly.
 */
export const OPTIMIZER_HYPER_RANGES: Record<'adam' | 'sgd', Record<string, SettingRange>> = {
  adam: {
    lr: SETTING_RANGES.lr,
    beta1: { min: 0, max: 1, maxExclusive: true, integer: false },
    beta2: { min: 0, max: 1, maxExclusive: true, integer: false },
    eps: { min: 0, max: 1, integer: false },
    weightDecay: { min: 0, max: 1, integer: false },
  },
  sgd: {
    lr: SETTING_RANGES.lr,
    momentum: SETTING_RANGES.momentum,
    dampening: { min: 0, max: 1, integer: false },
    weightDecay: { min: 0, max: 1, integer: false },
    nesterov: { min: 0, max: 1, integer: true },
  },
};

export function inRange(value: unknown, range: SettingRange): value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (range.integer && !Number.isInteger(value)) return false;
  if (range.minExclusive ? value <= range.min : value < range.min) return false;
  if (range.maxExclusive ? value >= range.max : value > range.max) return false;
  return true;
}

/** "an integer from 1 to 4096", "a positive finite number no larger than 10", "a number in [0, 1)". */
export function rangeText(range: SettingRange): string {
  if (range.integer) return `an integer from ${range.min} to ${range.max}`;
  if (range.min === 0 && range.minExclusive && !range.maxExclusive) return `a positive finite number no larger than ${range.max}`;
  return `a number in ${range.minExclusive ? '(' : '['}${range.min}, ${range.max}${range.maxExclusive ? ')' : ']'}`;
}
