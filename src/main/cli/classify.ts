// npm run classify -- --weights model.safetensors digit.png [more.png …] [--json]
//
// Classifies image files with a saved model, through the same MNIST-style
// preprocessing as the app's drop zone. Exit codes: 0 all files classified,
// 1 a file (or the weights) could not be used, 2 the command line is wrong.

import { basename } from 'node:path';
import { Rng, Tensor, noGrad } from '../../engine';
import { ImageFormatError, imageFileTooLarge, MAX_IMAGE_FILE_BYTES } from '../../shared/images/imageHeader';
import { FileReadError, readRegularFile } from '../files/readRegularFile';
import { preprocessDigit } from '../../shared/images/preprocess';
import { messageOf } from '../../shared/messageOf';
import { MNIST_PIXELS } from '../../shared/mnist';
import { decodeImage } from '../images/decodeImage';
import { SpecModel } from '../model/specModel';
import { decodeWeightsFile } from '../weights/decode';
import { WeightsFileError } from '../weights/format';
import { assertFiniteProbabilities } from '../model/finiteOutputs';
import { checkLoadedOutputs } from '../weights/outputCheck';
import { readWeightsFile } from '../weights/readWeightsFile';
import { loadedStateDict } from '../weights/stateDict';
import { CLASSIFY_USAGE } from './classifyUsage';
import { UsageError } from './usageError';

interface Options {
  weights: string;
  files: string[];
  json: boolean;
}

function parseArgs(args: string[]): Options | 'help' {
  let weights: string | null = null;
  let json = false;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--json') json = true;
    else if (arg === '--weights' || arg === '-w' || arg.startsWith('--weights=')) {
      // One model per run: a second --weights is a mistake, not an override to take silently.
      if (weights !== null) throw new UsageError(`--weights given twice (${weights} and ${arg.startsWith('--weights=') ? arg.slice(10) : (args[i + 1] ?? '')})`);
      const value = arg.startsWith('--weights=') ? arg.slice('--weights='.length) : args[++i];
      if (value === undefined || value === '') throw new UsageError(`${arg.startsWith('--weights=') ? '--weights' : arg} needs a file name`);
      weights = value;
    } else if (arg === '--') {
      files.push(...args.slice(i + 1));
      break;
    } else if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
    else files.push(arg);
  }
  if (!weights) throw new UsageError('--weights FILE is required');
  if (files.length === 0) throw new UsageError('give at least one image file');
  return { weights, files, json };
}

type Classify = (pixels: Float32Array) => { predicted: number; probabilities: number[] };

async function loadModel(path: string): Promise<Classify> {
  let weights;
  try {
    // Size and header checked before the file is read (one limit with the app's uploads).
    const bytes = await readWeightsFile(path);
    weights = decodeWeightsFile(bytes);
    checkLoadedOutputs(weights);
  } catch (error) {
    if (error instanceof WeightsFileError) throw new Error(`${basename(path)} is not a usable weights file: ${messageOf(error)}`);
    throw new Error(`cannot read the weights file ${path}: ${describe(error)}`);
  }
  const model = new SpecModel(weights.spec, new Rng(0));
  model.loadStateDict(loadedStateDict(weights));
  model.eval();
  return (pixels) =>
    noGrad(() => {
      const probabilities = model
        .forward(Tensor.fromArray(pixels, [1, MNIST_PIXELS]))
        .softmax(-1)
        .toArray();
      assertFiniteProbabilities(probabilities);
      const predicted = probabilities.indexOf(Math.max(...probabilities));
      return { predicted, probabilities };
    });
}

type FileResult = { file: string; predicted: number; probabilities: number[] } | { file: string; error: string };

/** One file, start to end; whatever goes wrong is this file's result, never the end of the batch. */
async function classifyFile(file: string, classify: Classify): Promise<FileResult> {
  try {
    const image = await decodeImage(await readImageBytes(file));
    return { file, ...classify(preprocessDigit(image)) };
  } catch (error) {
    return { file, error: describe(error) };
  }
}

/** The file's bytes, refusing (before reading it) one larger than an image may be. */
async function readImageBytes(file: string): Promise<Uint8Array> {
  try {
    return await readRegularFile(file, MAX_IMAGE_FILE_BYTES, imageFileTooLarge);
  } catch (error) {
    // The result names the file: the reason alone ('is a named pipe (FIFO), not a file', 'the file is too large (…)').
    if (error instanceof FileReadError) throw new ImageFormatError(error.reason);
    throw error;
  }
}

function describe(error: unknown): string {
  const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory, not a file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return messageOf(error);
}

function printText(result: FileResult): void {
  if ('error' in result) return;
  const confidence = (result.probabilities[result.predicted] * 100).toFixed(1);
  const bars = result.probabilities.map((p, digit) => `${digit}: ${p.toFixed(4)}`).join('  ');
  process.stdout.write(`${result.file}: ${result.predicted} (${confidence}%)\n  ${bars}\n`);
}

async function main(args: string[]): Promise<number> {
  let options: Options | 'help';
  try {
    options = parseArgs(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`classify: ${error.message}\n\n${CLASSIFY_USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${CLASSIFY_USAGE}\n`);
    return 0;
  }

  let classify: Classify;
  try {
    classify = await loadModel(options.weights);
  } catch (error) {
    process.stderr.write(`classify: ${describe(error)}\n`);
    return 1;
  }

  const results: FileResult[] = [];
  for (const file of options.files) {
    const result = await classifyFile(file, classify);
    if ('error' in result) process.stderr.write(`classify: ${file}: ${result.error}\n`);
    else if (!options.json) printText(result);
    results.push(result);
  }
  if (options.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  return results.some((r) => 'error' in r) ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
