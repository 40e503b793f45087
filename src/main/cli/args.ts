// Command-line flags of `npm run train`, parsed strictly: a typo or a bad value is a usage
// error (exit code 2), never a silently ignored setting.

import { DEFAULT_CONFIG, type OptimizerName } from '../../shared/contract';
import { inRange, rangeText, SETTING_RANGES, type RangedSetting } from '../../shared/settingRanges';

export interface TrainCliOptions {
  /** Epochs of the training set; fractions allowed (e.g. 0.1). Ignored when `steps` is set. */
  epochs: number;
  /** Exact number of optimizer steps, overriding `epochs` (for quick runs and tests). */
  steps: number | null;
  batchSize: number;
  lr: number;
  optimizer: OptimizerName;
  momentum: number;
  hidden: number;
  seed: number;
  out: string;
  /** Threads for the matmul pool (1 = the calling thread only); null = the pool's default. */
  threads: number | null;
}

export type ParsedArgs = { kind: 'run'; options: TrainCliOptions } | { kind: 'help' };

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `Usage: npm run train -- [options]

Trains the MLP 784 → hidden → ReLU → 10 on the 60 000 MNIST training images, evaluates the
10 000 test images after each epoch, and writes the weights as safetensors.

Options:
  --epochs N         epochs to train, fractions allowed (default 1)
  --steps N          train exactly N steps instead (overrides --epochs)
  --batch-size N     examples per step (default ${DEFAULT_CONFIG.batchSize})
  --lr X             learning rate (default ${DEFAULT_CONFIG.lr})
  --optimizer NAME   adam | sgd (default ${DEFAULT_CONFIG.optimizer})
  --momentum X       SGD momentum in [0, 1) (default ${DEFAULT_CONFIG.momentum}; ignored by adam)
  --hidden N         hidden units (default ${DEFAULT_CONFIG.hidden})
  --seed N           seed for initialisation and batch sampling (default ${DEFAULT_CONFIG.seed})
  --out FILE         where to write the weights (default model.safetensors)
  --threads N        threads for matrix products (default: DIGITRAIN_THREADS or the machine's cores)
  -h, --help         show this help
`;

type Kind = 'positiveNumber' | 'positiveInteger' | 'nonNegativeInteger' | 'fraction' | 'optimizer' | 'path';

/**
 * A flag that sets a training setting is checked against the app's range for it
 * (shared/settingRanges.ts), so a file the CLI writes always loads in the app.
 */
const FLAGS: Record<string, { key: keyof TrainCliOptions; kind: Kind; setting?: RangedSetting; max?: number }> = {
  '--epochs': { key: 'epochs', kind: 'positiveNumber', setting: 'epochs' },
  '--steps': { key: 'steps', kind: 'positiveInteger' },
  '--batch-size': { key: 'batchSize', kind: 'positiveInteger', setting: 'batchSize' },
  '--lr': { key: 'lr', kind: 'positiveNumber', setting: 'lr' },
  '--optimizer': { key: 'optimizer', kind: 'optimizer' },
  '--momentum': { key: 'momentum', kind: 'fraction', setting: 'momentum' },
  '--hidden': { key: 'hidden', kind: 'positiveInteger', setting: 'hidden' },
  '--seed': { key: 'seed', kind: 'nonNegativeInteger', setting: 'seed' },
  '--out': { key: 'out', kind: 'path' },
  '--threads': { key: 'threads', kind: 'positiveInteger', max: 64 },
};

export function defaultCliOptions(): TrainCliOptions {
  return {
    epochs: 1,
    steps: null,
    batchSize: DEFAULT_CONFIG.batchSize,
    lr: DEFAULT_CONFIG.lr,
    optimizer: DEFAULT_CONFIG.optimizer,
    momentum: DEFAULT_CONFIG.momentum,
    hidden: DEFAULT_CONFIG.hidden,
    seed: DEFAULT_CONFIG.seed,
    out: 'model.safetensors',
    threads: null,
  };
}

/** Accepts `--flag value` and `--flag=value`; throws UsageError naming the offending flag. */
export function parseTrainArgs(argv: readonly string[]): ParsedArgs {
  const options: Record<string, unknown> = { ...defaultCliOptions() };
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') return { kind: 'help' };
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    // An own key only: `toString` or `__proto__` is on every object, not a flag.
    const spec = Object.hasOwn(FLAGS, flag) ? FLAGS[flag] : undefined;
    if (!spec) throw new UsageError(arg.startsWith('-') ? `unknown option ${flag}` : `unexpected argument ${JSON.stringify(arg)}`);
    if (seen.has(flag)) throw new UsageError(`${flag} given twice`);
    seen.add(flag);
    let raw: string | undefined;
    if (flag !== arg) raw = arg.slice(eq + 1);
    else {
      raw = argv[i + 1];
      if (raw === undefined || (raw.startsWith('--') && spec.kind !== 'path')) throw new UsageError(`${flag} needs a value`);
      i++;
    }
    const value = parseValue(flag, spec.kind, raw);
    if (spec.max !== undefined && typeof value === 'number' && value > spec.max) throw new UsageError(`${flag} must be at most ${spec.max}, got ${raw}`);
    if (spec.setting !== undefined && !inRange(value, SETTING_RANGES[spec.setting])) {
      const range = SETTING_RANGES[spec.setting];
      throw new UsageError(`${flag} must be ${Number(value) > range.max ? `at most ${range.max}` : rangeText(range)}, got ${raw}`);
    }
    options[spec.key] = value;
  }
  return { kind: 'run', options: options as unknown as TrainCliOptions };
}

function parseValue(flag: string, kind: Kind, raw: string): number | string {
  if (kind === 'path') {
    if (raw.trim() === '') throw new UsageError(`${flag} needs a file name`);
    return raw;
  }
  if (kind === 'optimizer') {
    if (raw !== 'adam' && raw !== 'sgd') throw new UsageError(`${flag} must be adam or sgd, got ${JSON.stringify(raw)}`);
    return raw;
  }
  // Number('') is 0 and Number('0x10') is 16: accept only plain decimal notation.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(raw.trim())) throw new UsageError(`${flag} must be a number, got ${JSON.stringify(raw)}`);
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new UsageError(`${flag} must be a finite number, got ${JSON.stringify(raw)}`);
  switch (kind) {
    case 'positiveNumber':
      if (value <= 0) throw new UsageError(`${flag} must be greater than 0, got ${raw}`);
      break;
    case 'positiveInteger':
      if (!Number.isSafeInteger(value) || value <= 0) throw new UsageError(`${flag} must be a positive integer, got ${raw}`);
      break;
    case 'nonNegativeInteger':
      if (!Number.isSafeInteger(value) || value < 0) throw new UsageError(`${flag} must be a non-negative integer, got ${raw}`);
      break;
    case 'fraction':
      if (value < 0 || value >= 1) throw new UsageError(`${flag} must be in [0, 1), got ${raw}`);
      break;
  }
  return value;
}
