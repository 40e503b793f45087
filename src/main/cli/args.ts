// Command-line flags of `npm run train`, parsed strictly: a typo or a bad value is a usage
// error (exit code 2), never a silently ignored setting. The flags and their ranges come from
// the same registries the app validates with (trainSettings, optimizers, the linear layer),
// so a file the CLI writes always loads in the app.

import { MNIST_CLASSES, MNIST_PIXELS } from '../../shared/mnist';
import { UNITS } from '../../shared/model/layers/linear';
import { settingProblem, type NumberSetting } from '../../shared/model/settings';
import { PRESET_NAMES } from '../../shared/model/presets';
import { DEFAULT_HIDDEN } from '../../shared/model/spec';
import { HYPERPARAMETERS, hyperProblem, OPTIMIZER_NAMES, OPTIMIZERS, isOptimizerName, type HyperName, type OptimizerName } from '../../shared/optimizers';
import { TRAIN_SETTINGS } from '../../shared/trainSettings';
import { isScheduleName, SCHEDULE_HYPER_NAMES, SCHEDULE_NAMES, scheduleHyperNames, SCHEDULES, type ScheduleEntry, type ScheduleName } from '../../shared/schedules';
import { runNameProblem } from '../../shared/runs';
import { defaultRunsDir } from '../files/dataDir';
import { optionLines, pipeNote } from './usage';
import { UsageError } from './usageError';

export interface TrainCliOptions {
  /** Epochs of the training set; fractions allowed (e.g. 0.1). Ignored when `steps` is set. */
  epochs: number;
  /** Exact number of optimizer steps, overriding `epochs` (for quick runs and tests). */
  steps: number | null;
  batchSize: number;
  seed: number;
  optimizer: OptimizerName;
  /** Hyperparameters given on the command line; the optimizer's defaults fill in the rest. */
  hyper: Partial<Record<HyperName, number>>;
  /** The learning-rate schedule (shared/schedules.ts). */
  schedule: ScheduleName;
  /** The schedule's settings given on the command line; its defaults fill in the rest. */
  scheduleHyper: Partial<Record<HyperName, number>>;
  /** Label smoothing of the training loss. */
  labelSmoothing: number;
  /** Keep the run in the runs folder, where the app lists it. */
  record: boolean;
  /** The runs folder (null: the web host's, in the user's home). */
  runsDir: string | null;
  /** The recorded run's name (null: made from its settings). */
  name: string | null;
  /** Hidden width of the default MLP (null: not given). */
  hidden: number | null;
  /** A preset's name or a JSON file with a ModelSpec (null: not given). */
  arch: string | null;
  out: string;
  /** Threads for the matmul pool (1 = the calling thread only); null = the pool's default. */
  threads: number | null;
}

export type ParsedArgs = { kind: 'run'; options: TrainCliOptions } | { kind: 'help' };

export { UsageError };

type Value = number | string | boolean;
interface Flag {
  /** Where the value goes: an option, or `hyper.<name>` (the optimizer's or its schedule's). */
  key: keyof TrainCliOptions | `hyper.${HyperName}`;
  /** How to read its value; `switch` for a flag that takes none (it sets true). */
  parse: ((flag: string, raw: string) => Value) | 'switch';
  /** What its value is, as the usage names it (N, X, FILE…); none for a switch. */
  value?: string;
  help: string;
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function number(setting: Pick<NumberSetting, 'kind' | 'min' | 'max'>): Flag['parse'] {
  return (flag, raw) => {
    // Number('') is 0 and Number('0x10') is 16: accept only plain decimal notation.
    if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(raw.trim())) throw new UsageError(`${flag} must be a number, got ${JSON.stringify(raw)}`);
    const problem = settingProblem({ ...setting, label: flag, help: '', default: setting.min }, Number(raw));
    if (problem) throw new UsageError(`${flag} ${problem}`);
    return Number(raw);
  };
}

function path(flag: string, raw: string): string {
  if (raw.trim() === '') throw new UsageError(`${flag} needs a file name`);
  return raw;
}

function optimizer(flag: string, raw: string): string {
  if (!isOptimizerName(raw)) throw new UsageError(`${flag} must be one of ${OPTIMIZER_NAMES.join(', ')}, got ${JSON.stringify(raw.slice(0, 40))}`);
  return raw;
}

function schedule(flag: string, raw: string): string {
  if (!isScheduleName(raw)) throw new UsageError(`${flag} must be one of ${SCHEDULE_NAMES.join(', ')}, got ${JSON.stringify(raw.slice(0, 40))}`);
  return raw;
}

function runName(flag: string, raw: string): string {
  const problem = runNameProblem(raw);
  if (problem) throw new UsageError(`${flag} ${problem}`);
  return raw.trim();
}

const hyperDefaults = (name: HyperName) =>
  [
    ...OPTIMIZER_NAMES.filter((o) => Object.hasOwn(OPTIMIZERS[o].defaults, name)).map((o) => `${o} ${(OPTIMIZERS[o].defaults as Record<string, number>)[name]}`),
    ...SCHEDULE_NAMES.filter((s) => Object.hasOwn(SCHEDULES[s].defaults, name)).map((s) => `${s} ${(SCHEDULES[s].defaults as Record<string, number>)[name]}`),
  ].join(', ');

const FLAGS: Record<string, Flag> = {
  '--epochs': { key: 'epochs', parse: number(TRAIN_SETTINGS.epochs), value: 'N', help: 'epochs to train, fractions allowed (default 1)' },
  '--steps': { key: 'steps', parse: number({ kind: 'int', min: 1, max: 1e9 }), value: 'N', help: 'train exactly N steps instead (overrides --epochs)' },
  '--batch-size': { key: 'batchSize', parse: number(TRAIN_SETTINGS.batchSize), value: 'N', help: `examples per step (default ${TRAIN_SETTINGS.batchSize.default})` },
  '--optimizer': { key: 'optimizer', parse: optimizer, value: 'NAME', help: `${OPTIMIZER_NAMES.join(' | ')} (default adam)` },
  ...Object.fromEntries(
    (Object.keys(HYPERPARAMETERS) as HyperName[]).map((name) => [
      `--${kebab(name)}`,
      { key: `hyper.${name}`, parse: number(HYPERPARAMETERS[name]), value: 'X', help: `${HYPERPARAMETERS[name].label.toLowerCase()} (default: ${hyperDefaults(name)})` } satisfies Flag,
    ]),
  ),
  '--schedule': { key: 'schedule', parse: schedule, value: 'NAME', help: `learning-rate schedule: ${SCHEDULE_NAMES.join(' | ')} (default constant)` },
  '--label-smoothing': {
    key: 'labelSmoothing',
    parse: number(TRAIN_SETTINGS.labelSmoothing),
    value: 'X',
    help: `label smoothing of the training loss (default ${TRAIN_SETTINGS.labelSmoothing.default})`,
  },
  '--hidden': { key: 'hidden', parse: number(UNITS), value: 'N', help: `hidden units of the default MLP ${MNIST_PIXELS}-N-${MNIST_CLASSES} (default ${DEFAULT_HIDDEN})` },
  '--arch': { key: 'arch', parse: path, value: 'NAME|FILE', help: `a preset (${PRESET_NAMES.join(', ')}) or a model spec JSON file ({"input": [...], "layers": [...]})` },
  '--seed': { key: 'seed', parse: number(TRAIN_SETTINGS.seed), value: 'N', help: `seed for initialisation and batch sampling (default ${TRAIN_SETTINGS.seed.default})` },
  '--out': { key: 'out', parse: path, value: 'FILE', help: 'where to write the weights (default model.safetensors)' },
  '--threads': { key: 'threads', parse: number({ kind: 'int', min: 1, max: 64 }), value: 'N', help: "threads for matrix products (default: DIGITRAIN_THREADS or the machine's cores)" },
  '--record': { key: 'record', parse: 'switch', help: 'keep the run (curves, settings, weights) in the runs folder, where the app lists it' },
  '--runs-dir': { key: 'runsDir', parse: path, value: 'DIR', help: `the runs folder for --record (default: the web host's, ${defaultRunsDir()})` },
  '--name': { key: 'name', parse: runName, value: 'TEXT', help: "the recorded run's name (default: made from its settings)" },
};

export const USAGE = `Usage: npm run train -- [options]

Trains a model (by default the MLP ${MNIST_PIXELS} → ${DEFAULT_HIDDEN} → ReLU → ${MNIST_CLASSES}) on the 60 000 MNIST training
images, evaluates the 10 000 test images after each epoch, and writes the weights as safetensors.

Options:
${optionLines([...Object.entries(FLAGS).map(([flag, { value, help }]) => [value ? `${flag} ${value}` : flag, help] as const), ['-h, --help', 'show this help']])}

${pipeNote('train', 'a summary of the run as one JSON line')}
`;

export function defaultCliOptions(): TrainCliOptions {
  return {
    epochs: 1,
    steps: null,
    batchSize: TRAIN_SETTINGS.batchSize.default,
    seed: TRAIN_SETTINGS.seed.default,
    optimizer: 'adam',
    hyper: {},
    schedule: 'constant',
    scheduleHyper: {},
    labelSmoothing: TRAIN_SETTINGS.labelSmoothing.default,
    record: false,
    runsDir: null,
    name: null,
    hidden: null,
    arch: null,
    out: 'model.safetensors',
    threads: null,
  };
}

/** Accepts `--flag value` and `--flag=value`; throws UsageError naming the offending flag. */
export function parseTrainArgs(argv: readonly string[]): ParsedArgs {
  const options = defaultCliOptions();
  const record = options as unknown as Record<string, Value>;
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') return { kind: 'help' };
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const spec = Object.hasOwn(FLAGS, flag) ? FLAGS[flag] : undefined;
    if (!spec) {
      if (!arg.startsWith('-')) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
      const near = nearestFlag(flag);
      throw new UsageError(`unknown option ${flag}${near ? ` (did you mean ${near}?)` : ''}`);
    }
    if (seen.has(flag)) throw new UsageError(`${flag} given twice`);
    seen.add(flag);
    if (spec.parse === 'switch') {
      if (flag !== arg) throw new UsageError(`${flag} takes no value`);
      record[spec.key] = true;
      continue;
    }
    let raw: string | undefined;
    if (flag !== arg) raw = arg.slice(eq + 1);
    else {
      raw = argv[i + 1];
      if (raw === undefined || (raw.startsWith('--') && spec.parse !== path)) throw new UsageError(`${flag} needs a value`);
      i++;
    }
    const value = spec.parse(flag, raw);
    if (spec.key.startsWith('hyper.')) {
      const name = spec.key.slice('hyper.'.length) as HyperName;
      (SCHEDULE_HYPER_NAMES.includes(name) ? options.scheduleHyper : options.hyper)[name] = value as number;
    } else record[spec.key] = value;
  }
  if (options.hidden !== null && options.arch !== null) throw new UsageError("--hidden sets the default MLP's width; it cannot be combined with --arch");
  const takes = Object.keys(OPTIMIZERS[options.optimizer].defaults);
  for (const name of Object.keys(options.hyper)) {
    if (!takes.includes(name)) throw new UsageError(`--${kebab(name)} is not a setting of ${options.optimizer} (it takes ${takes.map((t) => `--${kebab(t)}`).join(', ')})`);
  }
  const mismatch = hyperProblem(options.optimizer, { ...OPTIMIZERS[options.optimizer].defaults, ...options.hyper });
  if (mismatch) throw new UsageError(`--optimizer ${options.optimizer}: ${mismatch}`);
  const scheduleTakes: string[] = scheduleHyperNames(options.schedule);
  for (const name of Object.keys(options.scheduleHyper)) {
    if (!scheduleTakes.includes(name)) {
      const takesText = scheduleTakes.length > 0 ? `it takes ${scheduleTakes.map((t) => `--${kebab(t)}`).join(', ')}` : 'it takes none; choose one with --schedule';
      throw new UsageError(`--${kebab(name)} is not a setting of the ${options.schedule} schedule (${takesText})`);
    }
  }
  const entry: ScheduleEntry = SCHEDULES[options.schedule];
  const conflict = entry.check?.({ ...entry.defaults, ...options.scheduleHyper } as Record<string, number>);
  if (conflict) throw new UsageError(`--schedule ${options.schedule}: ${conflict}`);
  if ((options.runsDir !== null || options.name !== null) && !options.record) throw new UsageError(`${options.runsDir !== null ? '--runs-dir' : '--name'} is for recorded runs: add --record`);
  return { kind: 'run', options };
}

/** The known flag a typo most likely meant (edit distance at most 2), or null. */
function nearestFlag(flag: string): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const known of Object.keys(FLAGS)) {
    const d = editDistance(flag, known);
    if (d < bestDistance) [best, bestDistance] = [known, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length];
}
