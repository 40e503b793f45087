// `npm run export`: the app's exports from the command line.
//   --weights FILE [--pytorch DIR] [--onnx FILE]   a weights file as the PyTorch folder and/or ONNX
//   --run ID [--csv FILE] [--tensorboard DIR]      a kept run's curves for other tools
// The files are made by the same code as the app's (model/pytorchFolder.ts, weights/encode.ts,
// runs/runExports.ts). Exit codes: 0 written, 1 a file could not be read or written, 2 the
// command line is wrong. Ends with one JSON line on stdout naming what was written.
import { mkdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { defaultConfig, type TrainConfig } from '../../shared/contract';
import { messageOf } from '../../shared/messageOf';
import { isRunId } from '../../shared/runs';
import { mnistDataDirectory } from '../data/loadMnist';
import { atomicWriteFile } from '../files/atomicWrite';
import { defaultRunsDir } from '../files/dataDir';
import { pytorchFolder } from '../model/pytorchFolder';
import { runCsv, runTensorboardEvents, tensorboardFileName } from '../runs/runExports';
import { RunStore } from '../runs/runStore';
import { decodeWeightsFile, type LoadedWeights } from '../weights/decode';
import { encodeOnnxExport } from '../weights/encode';
import { WeightsFileError } from '../weights/format';
import { checkLoadedOutputs } from '../weights/outputCheck';
import { readWeightsFile } from '../weights/readWeightsFile';
import { optionLines, pipeNote } from './usage';
import { UsageError } from './usageError';

export const EXPORT_USAGE = `usage: npm run export -- --weights FILE [--pytorch DIR] [--onnx FILE]
       npm run export -- --run ID [--csv FILE] [--tensorboard DIR] [--runs-dir DIR]

${optionLines([
  ['--weights FILE', 'a .safetensors file from Digitrain, train.py or a PyTorch export'],
  ['--pytorch DIR', 'write the PyTorch folder there: model.py, weights.safetensors, train.py, README.md'],
  ['--onnx FILE', 'write the model as ONNX (run it with ONNX Runtime, view it with Netron)'],
  ['--run ID', "a kept run (its id is in the runs folder's index and the app's Runs view)"],
  ['--csv FILE', "the run's curves as CSV: one row per point, test evaluations as their own rows"],
  ['--tensorboard DIR', "the run's curves as a TensorBoard event file in DIR (tensorboard --logdir DIR)"],
  ['--runs-dir DIR', `the runs folder (default: the web host's, ${defaultRunsDir()})`],
  ['-h, --help', 'show this help'],
])}

${pipeNote('export', 'the files it wrote as one JSON line')}
`;

interface ExportOptions {
  weights: string | null;
  pytorch: string | null;
  onnx: string | null;
  run: string | null;
  csv: string | null;
  tensorboard: string | null;
  runsDir: string | null;
}

const FLAGS: Record<string, keyof ExportOptions> = {
  '--weights': 'weights',
  '--pytorch': 'pytorch',
  '--onnx': 'onnx',
  '--run': 'run',
  '--csv': 'csv',
  '--tensorboard': 'tensorboard',
  '--runs-dir': 'runsDir',
};

export function parseExportArgs(argv: readonly string[]): ExportOptions | 'help' {
  const options: ExportOptions = { weights: null, pytorch: null, onnx: null, run: null, csv: null, tensorboard: null, runsDir: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') return 'help';
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (!Object.hasOwn(FLAGS, flag)) throw new UsageError(arg.startsWith('-') ? `unknown option ${flag}` : `unexpected argument ${JSON.stringify(arg)}`);
    const key = FLAGS[flag];
    if (options[key] !== null) throw new UsageError(`${flag} given twice`);
    const value = flag !== arg ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value.trim() === '' || (flag === arg && value.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
    options[key] = value;
  }
  const weightsOutputs = options.pytorch !== null || options.onnx !== null;
  const runOutputs = options.csv !== null || options.tensorboard !== null;
  if (options.weights !== null && options.run !== null) throw new UsageError('give --weights or --run, not both');
  if (options.weights !== null) {
    if (runOutputs) throw new UsageError('--csv and --tensorboard export a run: use them with --run');
    if (!weightsOutputs) throw new UsageError('say what to write: --pytorch DIR and/or --onnx FILE');
  } else if (options.run !== null) {
    if (weightsOutputs) throw new UsageError('--pytorch and --onnx export weights: use them with --weights');
    if (!runOutputs) throw new UsageError('say what to write: --csv FILE and/or --tensorboard DIR');
    if (!isRunId(options.run)) throw new UsageError(`--run ${JSON.stringify(String(options.run).slice(0, 40))} is not a run id (letters and digits, as the runs folder names them)`);
  } else throw new UsageError('give --weights FILE (to export a model) or --run ID (to export a run)');
  if (options.runsDir !== null && options.run === null) throw new UsageError('--runs-dir is for --run');
  return options;
}

export interface ExportIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export async function runExportCommand(argv: readonly string[], io: ExportIo): Promise<number> {
  let options: ExportOptions | 'help';
  try {
    options = parseExportArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`export: ${error.message}\n\n${EXPORT_USAGE}`);
    return 2;
  }
  if (options === 'help') {
    io.stdout.write(EXPORT_USAGE);
    return 0;
  }
  try {
    const written = options.weights !== null ? await exportWeights(options, options.weights) : await exportRun(options, options.run as string);
    for (const path of written) io.stderr.write(`wrote ${path}\n`);
    io.stdout.write(`${JSON.stringify({ written })}\n`);
    return 0;
  } catch (error) {
    io.stderr.write(`export: ${messageOf(error)}\n`);
    return 1;
  }
}

/** A weights file, checked as Load checks it; the settings it carries (if any) complete the recipe. */
export async function readWeightsForExport(path: string): Promise<{ loaded: LoadedWeights; config: TrainConfig }> {
  let loaded: LoadedWeights;
  try {
    loaded = decodeWeightsFile(await readWeightsFile(path));
    checkLoadedOutputs(loaded);
  } catch (error) {
    if (error instanceof WeightsFileError) throw new Error(`${basename(path)} is not a usable weights file: ${messageOf(error)}`);
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : messageOf(error)}`);
  }
  return { loaded, config: { ...defaultConfig(), ...loaded.metadata.settings, model: loaded.spec } };
}

async function exportWeights(options: ExportOptions, path: string): Promise<string[]> {
  const { loaded, config } = await readWeightsForExport(path);
  const step = loaded.metadata.step ?? 0;
  const testAccuracy = loaded.metadata.testAccuracy;
  const written: string[] = [];
  if (options.pytorch !== null) {
    const folder = pytorchFolder({ config, step, testAccuracy, params: loaded.tensors, dataDir: mnistDataDirectory() });
    const dir = resolve(options.pytorch);
    await mkdir(dir, { recursive: true });
    for (const file of folder.files) {
      await atomicWriteFile(join(dir, file.name), file.bytes);
      written.push(join(dir, file.name));
    }
  }
  if (options.onnx !== null) {
    await atomicWriteFile(options.onnx, encodeOnnxExport(config.model, loaded.tensors, { config, step, testAccuracy }));
    written.push(resolve(options.onnx));
  }
  return written;
}

async function exportRun(options: ExportOptions, id: string): Promise<string[]> {
  const store = new RunStore(resolve(options.runsDir ?? defaultRunsDir()));
  const [record] = await store.records([id]);
  const written: string[] = [];
  if (options.csv !== null) {
    await atomicWriteFile(options.csv, new TextEncoder().encode(runCsv(record)));
    written.push(resolve(options.csv));
  }
  if (options.tensorboard !== null) {
    const dir = resolve(options.tensorboard);
    await mkdir(dir, { recursive: true });
    const file = join(dir, tensorboardFileName(record));
    await atomicWriteFile(file, runTensorboardEvents(record));
    written.push(file);
  }
  return written;
}
