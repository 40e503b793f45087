// The fuzz run itself, in a process of its own (fuzz.test.ts starts it and judges the result):
// mutated PNG/JPEG/WebP/BMP files through the CLI's decoding and the shared preprocessing,
// mutated safetensors files through the worker's load command (and the CLI's reader), and
// mutated WebSocket messages through a real web host with its real training worker.
//
//   node --import tsx fuzzRunner.ts --seed 12 --budget 24000 [--only images|weights|messages|specs]
//
// Every case must end (no hang), and every refusal must be a message under 500 characters
// that names the problem in the user's terms (never a decoder's or V8's internals), after
// which the loaded model is exactly what it was. Progress goes to stderr ("case <kind>#<n>:
// <mutation>", so a hang names its case); one JSON line with the counts, the failures and the
// peak RSS goes to stdout at the end. The cases are a pure function of the seed: case n of a
// kind is the same whatever the time budget.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import WebSocket from 'ws';
import { loadMnist } from '../../../src/main/data/loadMnist';
import { decodeImage } from '../../../src/main/images/decodeImage';
import { TrainingSession } from '../../../src/main/training/session';
import { Trainer } from '../../../src/main/training/trainer';
import { decodeWeightsFile } from '../../../src/main/weights/decode';
import { checkLoadedOutputs } from '../../../src/main/weights/outputCheck';
import { readWeightsFile } from '../../../src/main/weights/readWeightsFile';
import { createWeightsCommands } from '../../../src/main/weights/weightsCommands';
import { startWebServer } from '../../../src/main/web/server';
import { CONTRACT_VERSION, defaultConfig, type AppState } from '../../../src/shared/contract';
import { mlpSpec, type ModelSpec } from '../../../src/shared/model/spec';
import { MAX_FLOPS_PER_SAMPLE, STEP_MEMORY_BUDGET, trainingProblem } from '../../../src/shared/model/cost';
import { validateModelSpec } from '../../../src/shared/model/validateSpec';
import { META } from '../../../src/main/weights/format';
import { ImageFormatError } from '../../../src/shared/images/imageHeader';
import { PreprocessError, preprocessDigit, type PixelImage } from '../../../src/shared/images/preprocess';
import { isRpcAck } from '../../../src/shared/rpc';
import { validateConfigPatch } from '../../../src/shared/validate';
import { decodeWire, encodeWire } from '../../../src/shared/wire';
import { jpegBomb, pngBomb } from '../bombs';
import { encodeBmp, encodeBmpPalette, encodeBmpRle, encodeJpeg, encodePng, encodeWebp } from '../../preprocess/encode';
import { mnistTestDigit, renderMnistOnPaper } from '../../preprocess/images';
import { mutateBytes, mutateJson, Random } from './mutate';

// ------------------------------------------------------------------ set-up

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const SEED = Number(args.get('seed') ?? 12);
const KNOWN_SETTINGS = Object.keys(defaultConfig()).sort().join();
const BUDGET_MS = Number(args.get('budget') ?? 24_000);
const ONLY = args.get('only');
/** A single case taking longer than this is a hang, even if it ends (the slowest take well under a second here: room for a machine ten times slower). */
const CASE_LIMIT_MS = 30_000;
/**
 * Each phase runs at least this many cases, then on until its share of the budget is spent: the
 * same first cases (the seed draws them) on any machine, however slow, and more on a fast one.
 */
const MIN_CASES: Record<string, number> = { images: 200, weights: 50, messages: 50, specs: 20 };

/** The decoders' and V8's own words: never in a message to the user. */
const INTERNALS =
  /Cannot read propert|undefined|is not a function|is not iterable|Maximum call stack|vips|libpng|spng|VipsJpeg|RangeError|TypeError|Offset is outside|out of bounds|waitng|read requests|\[object Object\]/i;

interface Failure {
  kind: string;
  index: number;
  what: string;
  problem: string;
}
const failures: Failure[] = [];
const counts: Record<string, number> = { images: 0, weights: 0, messages: 0, repeatedTags: 0, specs: 0 };
const refusals: Record<string, number> = { images: 0, weights: 0, messages: 0, repeatedTags: 0, specs: 0 };

function fail(kind: string, index: number, what: string, problem: string): void {
  failures.push({ kind, index, what: what.slice(0, 300), problem: problem.slice(0, 600) });
}

/** The shape every refusal must have; returns what is wrong with it, or null. */
function badMessage(message: unknown, names: RegExp): string | null {
  if (typeof message !== 'string' || message.trim() === '') return `no message (${String(message)})`;
  if (message.length >= 500) return `a message of ${message.length} characters`;
  if (INTERNALS.test(message)) return `internals in the message: ${message}`;
  if (!names.test(message)) return `the message does not name the problem: ${message}`;
  return null;
}

function progress(kind: string, index: number, what: string): void {
  process.stderr.write(`case ${kind}#${index}: ${what.slice(0, 200)}\n`);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`HANG: ${what} took over ${ms} ms`)), ms);
    }),
  ]);
}

const started = performance.now();
const phases = ONLY ? [ONLY] : ['images', 'weights', 'messages', 'specs'];
const shares: Record<string, number> = { images: 0.3, weights: 0.27, messages: 0.33, specs: 0.1 };
let phaseEnd = started;
function startPhase(kind: string): number {
  const share = ONLY ? 1 : shares[kind];
  phaseEnd = Math.max(phaseEnd, performance.now()) + BUDGET_MS * share;
  return phaseEnd;
}

// ------------------------------------------------------------------ images

async function imageCorpus(): Promise<Uint8Array[]> {
  const seven = renderMnistOnPaper(mnistTestDigit(0).pixels, 2, 64, 60, 4, 2);
  const grey = Uint8Array.from({ length: seven.width * seven.height }, (_, p) => seven.data[p * 4]);
  const raw = { raw: { width: seven.width, height: seven.height, channels: 4 as const } };
  const pixels = Buffer.from(seven.data);
  return [
    encodePng(seven),
    new Uint8Array(await sharp(pixels, raw).greyscale().png().toBuffer()),
    new Uint8Array(await sharp(pixels, raw).png({ palette: true }).toBuffer()),
    new Uint8Array(await sharp(pixels, raw).png({ progressive: true }).toBuffer()), // interlaced
    encodeJpeg(seven, 80),
    new Uint8Array(await sharp(pixels, raw).jpeg({ progressive: true }).toBuffer()),
    await encodeWebp(seven, false),
    await encodeWebp(seven, true),
    encodeBmp(seven, 24),
    encodeBmp(seven, 32),
    encodeBmpPalette(seven.width, seven.height, grey),
    encodeBmpPalette(
      seven.width,
      seven.height,
      grey.map((g) => g >> 4),
      4,
    ),
    encodeBmpRle(seven.width, seven.height, grey, 8),
    encodeBmpRle(
      seven.width,
      seven.height,
      grey.map((g) => g >> 4),
      4,
    ),
    pngBomb(),
    pngBomb(16_000, 2_000),
    jpegBomb(),
  ];
}

const IMAGE_NAMES = /PNG|JPEG|WEBP|WebP|BMP|image|file|digit|pixels/;

async function fuzzImages(rng: Random): Promise<void> {
  const corpus = await imageCorpus();
  const end = startPhase('images');
  for (let index = 0; index < MIN_CASES.images || performance.now() < end; index++) {
    const base = corpus[index % corpus.length];
    const { bytes, what } = index < corpus.length ? { bytes: base, what: 'unmutated' } : mutateBytes(rng, base, corpus);
    progress('images', index, what);
    counts.images++;
    const caseStart = performance.now();
    try {
      const image: PixelImage = await withTimeout(decodeImage(bytes), CASE_LIMIT_MS, 'decoding');
      const digit = preprocessDigit(image);
      if (digit.length !== 784 || !digit.every((v) => v >= 0 && v <= 1)) fail('images', index, what, 'preprocessing gave values outside [0, 1]');
    } catch (error) {
      refusals.images++;
      if (!(error instanceof ImageFormatError || error instanceof PreprocessError)) {
        fail('images', index, what, `not an image error: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
        continue;
      }
      const problem = badMessage(error.message, IMAGE_NAMES);
      if (problem) fail('images', index, what, problem);
    }
    if (performance.now() - caseStart > CASE_LIMIT_MS) fail('images', index, what, `took ${Math.round(performance.now() - caseStart)} ms`);
  }
}

// ------------------------------------------------------------------ weights files

function fnv(bytes: Uint8Array, hash = 0x811c9dc5): number {
  for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193) >>> 0;
  return hash;
}

/** Header JSON and data section of a safetensors file. */
function split(bytes: Uint8Array): { header: unknown; data: Uint8Array } {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return { header: JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length))), data: bytes.subarray(8 + length) };
}

function join8(headerText: string, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const WEIGHTS_NAMES = /safetensors|tensor|metadata|header|weights|file|shape|optimizer|optim|hidden|architecture|bytes|lr|setting|step|model/i;

async function fuzzWeights(rng: Random): Promise<void> {
  const mnist = loadMnist();
  const data = { train: mnist.train, test: { ...mnist.test, count: 100, images: mnist.test.images.subarray(0, 100 * 784), labels: mnist.test.labels.subarray(0, 100) } };
  const session = new TrainingSession({ createTrainer: (c) => new Trainer(data, c), emit: () => undefined });
  const weights = createWeightsCommands(session);
  const trainer = () => session.ensureTrainer() as Trainer;
  const corpus: Uint8Array[] = [];
  session.reset({ ...defaultConfig(), model: mlpSpec(12), optimizer: { type: 'sgd', hyper: { lr: 0.01, momentum: 0.9 } } });
  for (let i = 0; i < 3; i++) trainer().trainStep();
  corpus.push(weights.weightsFile('weights+optimizer').bytes);
  session.reset({ ...defaultConfig(), model: mlpSpec(16) });
  for (let i = 0; i < 3; i++) trainer().trainStep();
  // The PyTorch export's weights.safetensors (the export itself is a folder, or its zip).
  const pytorchWeights = weights.weightsFile('pytorch').folder?.files.find((f) => f.name === 'weights.safetensors');
  if (!pytorchWeights) throw new Error('the PyTorch export has no weights.safetensors');
  corpus.push(weights.weightsFile('weights+optimizer').bytes, weights.weightsFile('weights').bytes, pytorchWeights.bytes);

  const fingerprint = (): string => {
    const t = trainer();
    let hash = 0x811c9dc5;
    for (const tensor of t.model.stateDict().values()) hash = fnv(new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength), hash);
    const optimizer = t.optimizer.stateDict();
    for (const buffer of Object.values(optimizer.buffers)) hash = fnv(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength), hash);
    const state = session.getState();
    return JSON.stringify({ hash, config: state.config, step: state.step, status: state.status, kind: optimizer.kind, hyper: optimizer.hyper, optimizerStep: optimizer.step });
  };

  const dir = mkdtempSync(join(tmpdir(), 'digitrain-fuzz-'));
  const path = join(dir, 'fuzz.safetensors');
  const end = startPhase('weights');
  try {
    for (let index = 0; index < MIN_CASES.weights || performance.now() < end; index++) {
      const base = corpus[index % corpus.length];
      let bytes: Uint8Array;
      let what: string;
      const mode = rng.int(10);
      if (mode < 5) ({ bytes, what } = mutateBytes(rng, base, corpus));
      else if (mode < 8) {
        const { header, data: section } = split(base);
        const mutated = mutateJson(rng, header);
        bytes = join8(mutated.text, section);
        what = `header: ${mutated.what}`;
      } else {
        bytes = base.slice();
        const { data: section } = split(bytes);
        const floats = new Float32Array(section.buffer.slice(section.byteOffset, section.byteOffset + section.byteLength - (section.byteLength % 4)));
        const at = rng.int(floats.length);
        const value = rng.pick([Number.NaN, Infinity, -Infinity, 3e38, 1e30, -1e20]);
        floats[at] = value;
        bytes.set(new Uint8Array(floats.buffer), bytes.length - section.length);
        what = `data: float ${at} = ${value}`;
      }
      progress('weights', index, what);
      counts.weights++;
      const before = fingerprint();
      try {
        weights.loadWeightsFile('fuzz.safetensors', bytes);
        // What a load may never leave behind: non-finite weights or outputs, settings out of range, unknown settings.
        for (const [name, tensor] of trainer().model.stateDict()) {
          if (!tensor.data.every(Number.isFinite)) fail('weights', index, what, `loaded a non-finite ${name}`);
        }
        const probabilities = session.classify(Float32Array.from({ length: 784 }, (_, i) => (i % 2) * 0.9)).probabilities;
        if (!probabilities.every(Number.isFinite)) fail('weights', index, what, 'loaded a model whose outputs are not finite');
        const config = session.getState().config;
        if (Object.keys(config).sort().join() !== KNOWN_SETTINGS) fail('weights', index, what, `settings after the load: ${Object.keys(config).join(', ')}`);
        try {
          validateConfigPatch(config); // every key is there (checked above): each in range
        } catch (error) {
          fail('weights', index, what, `settings out of range after the load: ${(error as Error).message}`);
        }
      } catch (error) {
        refusals.weights++;
        const problem = badMessage(error instanceof Error ? error.message : String(error), WEIGHTS_NAMES);
        if (problem) fail('weights', index, what, problem);
        const after = fingerprint();
        if (after !== before) fail('weights', index, what, `the model changed after a refusal: ${before} → ${after}`);
      }
      // The CLI's path: its reader (size and header checked first), the decoder, the output check.
      writeFileSync(path, bytes);
      try {
        const loaded = decodeWeightsFile(await readWeightsFile(path));
        checkLoadedOutputs(loaded);
      } catch (error) {
        const problem = badMessage(error instanceof Error ? error.message : String(error), WEIGHTS_NAMES);
        if (problem) fail('weights', index, `${what} (CLI reader)`, problem);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ WebSocket messages

const MESSAGE_NAMES =
  /request|message|setting|config|pixels|must|unknown|version|id|args|argument|header|typed|weights|file|bytes|JSON|nests|larger|lr|hidden|batchSize|optimizer|momentum|epochs|seed|evalEvery|format|save|export|train|reset|stop|tensor|safetensors|metadata|model|empty|name/i;

interface Connection {
  ws: WebSocket;
  replies: Record<string, unknown>[];
  closed: boolean;
}

async function fuzzMessages(rng: Random): Promise<void> {
  const server = await startWebServer({ port: 0, rootDir: '/nonexistent' });
  const connect = async (): Promise<Connection> => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`);
    const connection: Connection = { ws, replies: [], closed: false };
    ws.on('message', (raw, isBinary) => {
      let message: Record<string, unknown>;
      try {
        message = decodeWire(isBinary ? (raw as Buffer) : String(raw)) as Record<string, unknown>;
      } catch {
        return;
      }
      if ('event' in message) {
        if (message.event === 'weights') ws.send(encodeWire({ v: CONTRACT_VERSION, ack: 'weights' }));
        return;
      }
      connection.replies.push(message);
    });
    ws.on('close', () => (connection.closed = true));
    ws.on('error', () => undefined);
    await new Promise((resolve) => ws.once('open', resolve));
    return connection;
  };
  let connection = await connect();
  let nextId = 1;

  /** Sends a frame and waits for the one reply it gets. */
  const exchange = async (frame: string | Uint8Array): Promise<Record<string, unknown> | 'closed' | 'hang'> => {
    connection.replies.length = 0;
    connection.ws.send(frame, { binary: typeof frame !== 'string' });
    const deadline = performance.now() + CASE_LIMIT_MS;
    while (connection.replies.length === 0 && !connection.closed) {
      if (performance.now() > deadline) return 'hang';
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    return connection.closed ? 'closed' : connection.replies[0];
  };
  const call = async (method: string, callArgs: unknown[]): Promise<Record<string, unknown>> => {
    const reply = await exchange(encodeWire({ v: CONTRACT_VERSION, id: nextId++, method, args: callArgs }));
    if (typeof reply === 'string') throw new Error(`${method}: no reply (${reply})`);
    return reply;
  };
  const probe = Array.from({ length: 784 }, (_, i) => ((i * 37) % 101) / 100);
  const baseline = { ...defaultConfig(), model: mlpSpec(8) };
  /** The model as the host has it, checked against what must always hold (finite outputs, known settings only). */
  const fingerprint = async (index = -1, what = 'set-up'): Promise<string> => {
    const classified = await call('classify', [probe]);
    const state = (await call('getState', [])).result as AppState;
    const probabilities = (classified.result as { probabilities: number[] } | undefined)?.probabilities;
    if (!probabilities || !probabilities.every(Number.isFinite)) fail('messages', index, what, `classify of the probe failed or was not finite: ${JSON.stringify(classified).slice(0, 200)}`);
    if (Object.keys(state.config).sort().join() !== KNOWN_SETTINGS) fail('messages', index, what, `the config holds ${Object.keys(state.config).join(', ')}`);
    return JSON.stringify({ probabilities, config: state.config, step: state.step, status: state.status });
  };
  await call('reset', [baseline]);
  const upload = (await call('saveWeights', [{ includeOptimizer: true }])).result as { file: { name: string; bytes: Uint8Array } };
  const templates: { method: string; args: unknown[] }[] = [
    { method: 'getState', args: [] },
    { method: 'stop', args: [] },
    { method: 'evaluate', args: [] },
    { method: 'classify', args: [probe] },
    { method: 'reset', args: [baseline] },
    { method: 'train', args: [{ optimizer: { type: 'adam', hyper: { lr: 0.01 } }, epochs: 1 }] },
    { method: 'saveWeights', args: [{ includeOptimizer: true }] },
    { method: 'exportWeights', args: ['onnx'] },
    { method: 'loadWeights', args: [{ name: 'upload.safetensors', bytes: upload.file.bytes }] },
  ];
  let expected = await fingerprint();
  const end = startPhase('messages');
  try {
    for (let index = 0; index < MIN_CASES.messages || performance.now() < end; index++) {
      const template = rng.pick(templates);
      const envelope = { v: CONTRACT_VERSION, id: nextId++, method: template.method, args: template.args };
      let frame: string | Uint8Array;
      let what: string;
      const mode = rng.int(11);
      if (mode === 10) {
        // Issue 26: one blob named by many tags (or by overlapping ones) must be refused, not copied per tag.
        const encoded = encodeWire(rng.chance(0.5) ? { v: CONTRACT_VERSION, id: nextId++, method: 'loadWeights', args: [{ name: 'upload.safetensors', bytes: upload.file.bytes }] } : envelope);
        const repeated = repeatedTags(rng, typeof encoded === 'string' ? (encodeWire({ ...envelope, args: [...envelope.args, new Uint8Array(64)] }) as Uint8Array) : encoded);
        frame = repeated.frame;
        what = `${template.method} (binary): ${repeated.what}`;
      } else if (mode < 6 && template.method !== 'loadWeights') {
        const mutated = mutateJson(rng, envelope);
        frame = mutated.text;
        what = `${template.method}: ${mutated.what}`;
      } else if (mode < 9) {
        const encoded = encodeWire(envelope);
        const bytes = typeof encoded === 'string' ? new TextEncoder().encode(encoded) : encoded;
        const mutated = mutateBytes(rng, bytes);
        frame = typeof encoded === 'string' && rng.chance(0.7) ? new TextDecoder().decode(mutated.bytes) : mutated.bytes;
        what = `${template.method} (${typeof frame === 'string' ? 'text' : 'binary'}): ${mutated.what}`;
      } else {
        // Text can carry no bytes: a loadWeights here is sent as an ack.
        const ack = rng.chance(0.5) || template.method === 'loadWeights';
        const mutated = mutateJson(rng, ack ? { v: CONTRACT_VERSION, ack: 'weights' } : envelope);
        frame = mutated.text;
        what = `${ack ? 'ack' : template.method}: ${mutated.what}`;
      }
      progress('messages', index, what);
      counts.messages++;
      if (mode === 10) counts.repeatedTags++;
      let isAck = false;
      try {
        isAck = isRpcAck(decodeWire(frame)); // what the host decides too: an ack gets no reply
      } catch {
        isAck = false;
      }
      if (isAck) {
        connection.ws.send(frame, { binary: typeof frame !== 'string' });
        continue;
      }
      const reply = await exchange(frame);
      if (typeof reply === 'string') {
        fail('messages', index, what, reply === 'closed' ? 'the host closed the connection' : 'no reply (hang)');
        if (connection.closed) connection = await connect();
        expected = await fingerprint();
        continue;
      }
      if (mode === 10 && reply.ok !== false) fail('messages', index, what, 'a frame naming the same bytes twice was accepted');
      if (reply.ok === false) {
        refusals.messages++;
        if (mode === 10) refusals.repeatedTags++;
        const problem = badMessage(reply.error, MESSAGE_NAMES);
        if (problem) fail('messages', index, what, problem);
        const now = await fingerprint(index, what);
        if (now !== expected) fail('messages', index, what, `the model changed after a refusal: ${expected} → ${now}`);
        expected = now;
        continue;
      }
      // Accepted: a mutation can still be a valid request. Put the model back where the others expect it.
      const method = typeof (reply.result as AppState | undefined)?.status === 'string' ? 'state' : '';
      if (method === 'state' || /reset|train|loadWeights/.test(what)) {
        await call('stop', []);
        await fingerprint(index, what); // before the reset: what the accepted request left
        await call('reset', [baseline]);
      }
      expected = await fingerprint(index, what);
    }
  } finally {
    connection.ws.terminate();
    await server.close();
  }
}

/**
 * A binary frame whose header names bytes more than once: a typed-array tag repeated (up to
 * ~100 times, as the issue's 83), or a second tag overlapping the first in part. The blob
 * section is the original's, so every tag is in bounds.
 */
function repeatedTags(rng: Random, frame: Uint8Array): { frame: Uint8Array; what: string } {
  const headerLength = new DataView(frame.buffer, frame.byteOffset, 4).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(frame.subarray(4, 4 + headerLength))) as { args: unknown[] };
  const blob = frame.subarray(Math.ceil((4 + headerLength) / 8) * 8);
  const tags: { $typed: string; offset: number; byteLength: number }[] = [];
  JSON.stringify(header, (_key, value: unknown) => {
    if (value !== null && typeof value === 'object' && Object.hasOwn(value, '$typed')) tags.push(value as (typeof tags)[number]);
    return value;
  });
  const target = tags.filter((t) => t.byteLength >= 16).at(-1) ?? { $typed: 'u8', offset: 0, byteLength: blob.byteLength };
  let what: string;
  if (rng.chance(0.6)) {
    const copies = 1 + rng.int(100);
    header.args.push(...Array.from({ length: copies }, () => ({ ...target })));
    what = `a ${target.byteLength}-byte ${target.$typed} tag repeated ${copies + 1} times`;
  } else {
    const shift = 8 * (1 + rng.int(Math.max(1, Math.floor(target.byteLength / 8) - 1)));
    header.args.push({ $typed: 'u8', offset: target.offset + shift - 8, byteLength: Math.max(8, target.byteLength - shift) });
    what = `a tag overlapping a ${target.byteLength}-byte ${target.$typed} tag`;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const blobStart = Math.ceil((4 + json.byteLength) / 8) * 8;
  const out = new Uint8Array(blobStart + blob.byteLength);
  new DataView(out.buffer).setUint32(0, json.byteLength, true);
  out.set(json, 4);
  out.set(blob, blobStart);
  return { frame: out, what };
}

// ------------------------------------------------------------------ specs over the budgets

/**
 * A random image model whose cost is over a budget by a measure independent of cost.ts: the
 * floats its layers' outputs alone hold for a step at `batch` (a lower bound of any estimate),
 * or its multiply-adds per image. Layers are added until one of them is over: padded
 * convolutions that grow the image, wide ones, 1×1 ones, pools, activations, batch norms.
 */
function costlySpec(rng: Random): { spec: ModelSpec; batch: number; what: string } {
  for (;;) {
    const made = tryCostlySpec(rng);
    if (made) return made;
  }
}

/** One try of costlySpec: null when 58 layers were not enough to go over. */
function tryCostlySpec(rng: Random): { spec: ModelSpec; batch: number; what: string } | null {
  const batch = rng.pick([1, 1, 32, 256, 4096]);
  const layers: Record<string, unknown>[] = [];
  let shape = [1, 28, 28];
  let outputs = 0;
  let flops = 0;
  const over = () => outputs * batch * 4 > STEP_MEMORY_BUDGET || flops > MAX_FLOPS_PER_SAMPLE;
  while (!over() && layers.length < 58) {
    const kind = rng.int(6);
    const name = `x${layers.length + 1}`;
    if (kind <= 2 || shape[1] < 3) {
      const out = rng.pick([8, 64, 128, 256]);
      const kernel = rng.pick([1, 3, 5]);
      const padding = rng.pick([0, kernel >> 1, 14]);
      const size = shape[1] + 2 * padding - kernel + 1;
      flops += 2 * out * shape[0] * kernel * kernel * size * size;
      shape = [out, size, size];
      layers.push({ name, type: 'conv2d', out, kernel, stride: 1, padding, bias: rng.chance(0.5) });
    } else if (kind === 3) layers.push({ name, type: rng.pick(['relu', 'tanh', 'gelu']) });
    else if (kind === 4) layers.push({ name, type: 'batchnorm', momentum: 0.1, eps: 1e-5 });
    else {
      layers.push({ name, type: 'maxpool2d', kernel: 2, stride: 2, padding: 0 });
      shape = [shape[0], Math.floor(shape[1] / 2), Math.floor(shape[2] / 2)];
    }
    outputs += shape[0] * shape[1] * shape[2];
  }
  if (!over()) return null;
  // Down to a few features before the classifier, so the parameter limit is not what refuses it.
  for (let size = shape[1], i = 1; size > 4; i++) {
    const window = Math.min(28, Math.floor(size / 2));
    layers.push({ name: `squeeze${i}`, type: 'maxpool2d', kernel: window, stride: window, padding: 0 });
    size = Math.floor(size / window);
  }
  layers.push({ name: 'flat', type: 'flatten' }, { name: 'fc', type: 'linear', out: 10, bias: true });
  return {
    spec: { input: [1, 28, 28], layers } as unknown as ModelSpec,
    batch,
    what: `${layers.length} layers at batch ${batch}, ${((outputs * batch * 4) / 2 ** 20).toFixed(0)} MiB of outputs, ${(flops / 1e9).toFixed(2)} GFLOP per image`,
  };
}

const BUDGET_WORDS =
  /^(layer "\w+" \(\w+\): .*(one image|a training step at batch \d+) needs [\d.,]+ (bytes|KiB|MiB|GiB|TiB|kFLOP|MFLOP|GFLOP|TFLOP)|the model has [\d,]+ parameters|layer "\w+" \(\w+\): .*(larger than|needs an image))/;

async function fuzzSpecs(rng: Random): Promise<void> {
  const mnist = loadMnist();
  const data = { train: mnist.train, test: { ...mnist.test, count: 100, images: mnist.test.images.subarray(0, 100 * 784), labels: mnist.test.labels.subarray(0, 100) } };
  const session = new TrainingSession({ createTrainer: (c) => new Trainer(data, c), emit: () => undefined });
  const weights = createWeightsCommands(session);
  session.reset({ ...defaultConfig(), model: mlpSpec(8) });
  const file = weights.weightsFile('weights').bytes;
  const { header, data: section } = split(file);
  const before = JSON.stringify(session.getState().config);
  const end = startPhase('specs');
  for (let index = 0; index < MIN_CASES.specs || performance.now() < end; index++) {
    const { spec, batch, what } = costlySpec(rng);
    progress('specs', index, what);
    counts.specs++;
    const expectRefusal = (where: string, run: () => unknown): void => {
      try {
        run();
        fail('specs', index, what, `${where}: accepted a model over the budget`);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const problem = badMessage(message, /layer|model|parameters|budget|image/);
        if (problem) fail('specs', index, what, `${where}: ${problem}`);
        else if (!BUDGET_WORDS.test(message.replace(/^(model: |the file's model [^:]*: |--arch [^:]*: )/, '')))
          fail('specs', index, what, `${where}: the refusal does not name the layer and the numbers: ${message}`);
      }
    };
    // Where a spec enters: validation (the --arch file, a request), Reset at the batch size, a weights file's stored spec.
    let valid = true;
    try {
      validateModelSpec(spec);
    } catch {
      valid = false;
    }
    if (!valid) expectRefusal('validation', () => validateModelSpec(spec));
    else if (trainingProblem(spec, batch) === null) fail('specs', index, what, 'a step over the budget by its outputs alone is estimated within it');
    // As a request arrives: the patch checked (validateConfigPatch), then Reset builds the trainer.
    expectRefusal('reset', () => session.reset(validateConfigPatch({ model: spec, batchSize: batch })));
    if (!valid) {
      const hostile = { ...(header as Record<string, unknown>) };
      hostile.__metadata__ = { ...(hostile.__metadata__ as Record<string, string>), [META.model]: JSON.stringify(spec) };
      expectRefusal('weights file', () => weights.loadWeightsFile('costly.safetensors', join8(JSON.stringify(hostile), section)));
    }
    refusals.specs++;
    const after = JSON.stringify(session.getState().config);
    if (after !== before) fail('specs', index, what, `the settings changed after a refusal: ${before} → ${after}`);
  }
}

// ------------------------------------------------------------------ run

let peakSampled = 0;
const sampler = setInterval(() => (peakSampled = Math.max(peakSampled, process.memoryUsage().rss)), 50);
for (const phase of phases) {
  const rng = new Random(SEED * 1000 + phases.indexOf(phase) + 1);
  if (phase === 'images') await fuzzImages(rng);
  else if (phase === 'weights') await fuzzWeights(rng);
  else if (phase === 'messages') await fuzzMessages(rng);
  else if (phase === 'specs') await fuzzSpecs(rng);
}
clearInterval(sampler);
process.stdout.write(
  `${JSON.stringify({
    seed: SEED,
    counts,
    refusals,
    failures: failures.slice(0, 30),
    failureCount: failures.length,
    peakRss: process.resourceUsage().maxRSS * 1024,
    peakRssSampled: peakSampled,
    ms: Math.round(performance.now() - started),
  })}\n`,
);
process.exit(0);
