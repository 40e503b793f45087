// `npm run evaluate -- --weights FILE`: the test accuracy and loss of any weights file (from the
// app, `npm run train`, train.py on one or many ranks, or the PyTorch export), on MNIST's 10 000
// test images, by the app's own evaluation. Prints one JSON line (after a readable line when
// stdout is a terminal). Exit codes: 0 evaluated, 1 the file cannot be used, 2 the command line is wrong.
import { basename } from 'node:path';
import { Rng } from '../../engine';
import { enableParallel, shutdownParallel } from '../../engine/parallel';
import { messageOf } from '../../shared/messageOf';
import { MNIST_PIXELS } from '../../shared/mnist';
import { loadMnist, type MnistData } from '../data/loadMnist';
import { SpecModel } from '../model/specModel';
import { evaluateClassifier } from '../training/evaluation';
import { loadedStateDict } from '../weights/stateDict';
import { readWeightsForExport } from './exportCommand';
import { optionLines, pipeNote } from './usage';
import { UsageError } from './usageError';

export const EVALUATE_USAGE = `usage: npm run evaluate -- --weights FILE [--images N]

Prints the test accuracy and loss of a weights file (Digitrain's, train.py's or a PyTorch
export's .safetensors) on MNIST's test images, as one JSON line.

${optionLines([
  ['--weights, -w FILE', 'the weights to evaluate (required)'],
  ['--images N', 'only the first N test images (default all 10 000)'],
  ['-h, --help', 'show this help'],
])}

${pipeNote('evaluate', 'the result as one JSON line')}
`;

interface EvaluateOptions {
  weights: string;
  images: number | null;
}

export function parseEvaluateArgs(argv: readonly string[]): EvaluateOptions | 'help' {
  let weights: string | null = null;
  let images: number | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') return 'help';
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (flag !== '--weights' && flag !== '-w' && flag !== '--images') {
      throw new UsageError(arg.startsWith('-') ? `unknown option ${flag}` : `unexpected argument ${JSON.stringify(arg)}`);
    }
    const value = flag !== arg ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value.trim() === '') throw new UsageError(`${flag} needs a value`);
    if (flag === '--images') {
      if (images !== null) throw new UsageError('--images given twice');
      if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`--images must be a whole number of at least 1, got ${JSON.stringify(value)}`);
      images = Number(value);
    } else {
      if (weights !== null) throw new UsageError('--weights given twice');
      weights = value;
    }
  }
  if (weights === null) throw new UsageError('--weights FILE is required');
  return { weights, images };
}

export interface EvaluateResult {
  file: string;
  images: number;
  testAccuracy: number;
  testLoss: number;
}

export async function evaluateWeightsFile(path: string, data: MnistData, images: number | null): Promise<EvaluateResult> {
  const { loaded } = await readWeightsForExport(path);
  const model = new SpecModel(loaded.spec, new Rng(0));
  model.loadStateDict(loadedStateDict(loaded));
  model.eval();
  const count = Math.min(images ?? data.test.count, data.test.count);
  const test = { ...data.test, count, images: data.test.images.subarray(0, count * MNIST_PIXELS), labels: data.test.labels.subarray(0, count) };
  const evaluation = evaluateClassifier(model, test, loaded.metadata.step ?? 0);
  return { file: path, images: count, testAccuracy: evaluation.testAccuracy, testLoss: evaluation.testLoss };
}

export interface EvaluateIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
  loadData?: () => MnistData;
}

export async function runEvaluateCommand(argv: readonly string[], io: EvaluateIo): Promise<number> {
  let options: EvaluateOptions | 'help';
  try {
    options = parseEvaluateArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`evaluate: ${error.message}\n\n${EVALUATE_USAGE}`);
    return 2;
  }
  if (options === 'help') {
    io.stdout.write(EVALUATE_USAGE);
    return 0;
  }
  try {
    enableParallel({});
    const result = await evaluateWeightsFile(options.weights, (io.loadData ?? loadMnist)(), options.images);
    if (io.stdout.isTTY) {
      io.stdout.write(`${basename(result.file)}: test accuracy ${(result.testAccuracy * 100).toFixed(2)}%, test loss ${result.testLoss.toFixed(4)} (${result.images} images)\n`);
    }
    io.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  } catch (error) {
    io.stderr.write(`evaluate: ${messageOf(error)}\n`);
    return 1;
  } finally {
    await shutdownParallel();
  }
}
