// Issue 12, item 2: names every object inherits from Object.prototype, given where input names
// a key. `{"method":"reset","args":[{"toString":5}]}` succeeded and stored
// "toString":"[object Object]" in the config (broadcast, kept across resets and loads,
// written into saved files); `valueOf` failed with a message about a function that could not
// be cloned. Every keyed input is tried with the whole set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Adam, Tensor } from '../../src/engine';
import { encodeSafetensors } from '../../src/engine/io/safetensors';
import { parseTrainArgs, UsageError } from '../../src/main/cli/args';
import { loadMnist } from '../../src/main/data/loadMnist';
import { TrainingSession } from '../../src/main/training/session';
import { Trainer } from '../../src/main/training/trainer';
import { decodeWeightsFile } from '../../src/main/weights/decode';
import { encodeWeightsFile } from '../../src/main/weights/encode';
import { createWeightsCommands } from '../../src/main/weights/weightsCommands';
import { startWebServer, type WebServer } from '../../src/main/web/server';
import { CONTRACT_VERSION, defaultConfig, type AppState } from '../../src/shared/contract';
import { mlpSpec } from '../../src/shared/model/spec';
import { isRpcAck } from '../../src/shared/rpc';
import { validateConfigPatch, validateRpcRequest } from '../../src/shared/validate';
import { decodeWire } from '../../src/shared/wire';
import { waitFor } from '../app/helpers';
import { makeParams } from '../weights/helpers';
import { PROTOTYPE_NAMES } from './helpers';

/** `{"<name>": value}` as JSON.parse builds it: `__proto__` is then an own key, as it is off the wire. */
const keyed = (name: string, value: unknown): Record<string, unknown> => JSON.parse(`{${JSON.stringify(name)}: ${JSON.stringify(value)}}`);

it('the set of names tried is the whole of Object.prototype', () => {
  expect(PROTOTYPE_NAMES).toEqual(
    expect.arrayContaining(['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__proto__', '__defineGetter__', '__lookupGetter__']),
  );
  expect(PROTOTYPE_NAMES.length).toBeGreaterThanOrEqual(12);
});

describe.each(PROTOTYPE_NAMES)('"%s"', (name) => {
  it('is not a setting', () => {
    expect(() => validateConfigPatch(keyed(name, 5))).toThrow(`unknown setting '${name}'`);
    expect(() => validateConfigPatch({ ...keyed(name, 5), batchSize: 16 })).toThrow(/unknown setting/);
  });

  it('is not an envelope field or an option (wire messages)', () => {
    // An envelope whose fields come only through the named key.
    const inherited = decodeWire(JSON.stringify(keyed(name, { v: CONTRACT_VERSION, id: 1, method: 'getState', args: [] })));
    expect(() => validateRpcRequest(inherited)).toThrow();
    const options = decodeWire(JSON.stringify({ v: CONTRACT_VERSION, id: 2, method: 'saveWeights', args: [keyed(name, { includeOptimizer: true })] }));
    expect(() => validateRpcRequest(options)).toThrow(/save options must be/);
    expect(isRpcAck(decodeWire(JSON.stringify(keyed(name, { ack: 'weights' }))))).toBe(false);
    // The key survives decoding as data, never as the object's prototype.
    const decoded = decodeWire(JSON.stringify(keyed(name, { lr: 1 }))) as object;
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.keys(decoded)).toEqual([name]);
  });

  it('is not a flag of npm run train', () => {
    expect(() => parseTrainArgs([name, '5'])).toThrow(UsageError);
    expect(() => parseTrainArgs([`--${name}`, '5'])).toThrow(/unknown option/);
  });

  it('is not an optimizer hyperparameter (engine, and optim.hyper in a weights file)', () => {
    const adam = new Adam([new Tensor(new Float32Array(2), [2], { requiresGrad: true })], { lr: 0.01 });
    const state = { ...adam.stateDict(), hyper: { ...adam.stateDict().hyper, ...(keyed(name, 0.5) as Record<string, number>) } };
    expect(() => adam.loadStateDict(state)).toThrow(/unknown hyper-parameter/);
    expect(adam.lr).toBe(0.01);

    const params = makeParams(4);
    const file = encodeWeightsFile({ params, config: { ...defaultConfig(), model: mlpSpec(4) }, step: 1, testAccuracy: null, optimizer: { kind: 'adam', hyper: { lr: 0.001 }, step: 1, buffers: {} } });
    const { header, data } = splitFile(file);
    const meta = header.__metadata__ as Record<string, string>;
    // Into the JSON text itself, as a crafted file would have it.
    meta['optim.hyper'] = meta['optim.hyper'].replace(/}$/, `,${JSON.stringify(name)}:0.5}`);
    expect(() => decodeWeightsFile(joinFile(header, data))).toThrow(new RegExp(`unknown adam hyperparameter "${name.replace(/[$]/g, '\\$&')}"`));
  });
});

function splitFile(bytes: Uint8Array): { header: Record<string, unknown>; data: Uint8Array } {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return { header: JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length))), data: bytes.subarray(8 + length) };
}

function joinFile(header: Record<string, unknown>, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('in weights-file metadata, prototype names are data: they never reach the settings', () => {
  const mnist = loadMnist();
  const data = { train: mnist.train, test: { ...mnist.test, count: 200, images: mnist.test.images.subarray(0, 200 * 784), labels: mnist.test.labels.subarray(0, 200) } };

  it('a file whose hyperparameters and metadata carry every such key loads with a clean config, and saves clean', () => {
    const session = new TrainingSession({ createTrainer: (c) => new Trainer(data, c), emit: () => undefined });
    session.reset({ model: mlpSpec(8) });
    const weights = createWeightsCommands(session);
    const params = makeParams(8);
    const records = new Map([...params].map(([n, p]) => [n, { dtype: 'F32' as const, shape: p.shape, data: p.data }]));
    const hyper = `{"hidden":8,"lr":0.002,${PROTOTYPE_NAMES.map((n) => `${JSON.stringify(n)}:5`).join(',')}}`;
    const metadata: Record<string, string> = { format: 'digitrain', formatVersion: '1', hyperparameters: hyper };
    const header = { ...Object.fromEntries(PROTOTYPE_NAMES.filter((n) => n !== '__proto__').map((n) => [n, 'x'])), ...metadata };
    weights.loadWeightsFile('keys.safetensors', encodeSafetensors(records, header));
    const config = session.getState().config;
    expect(Object.keys(config).sort()).toEqual(Object.keys(defaultConfig()).sort());
    const saved = decodeWeightsFile(weights.weightsFile('weights').bytes);
    expect(Object.keys(saved.metadata.settings).sort()).toEqual(
      Object.keys(defaultConfig())
        .filter((k) => k !== 'model')
        .sort(),
    );
  });
});

describe('over the WebSocket, with the real worker', () => {
  let server: WebServer;
  let socket: WebSocket;
  const replies = new Map<number, { ok: boolean; result?: unknown; error?: string }>();
  let nextId = 1;

  beforeAll(async () => {
    server = await startWebServer({ port: 0, rootDir: '/nonexistent' });
    socket = new WebSocket(`ws://127.0.0.1:${server.port}/ws`);
    socket.on('message', (data, isBinary) => {
      const message = decodeWire(isBinary ? (data as Buffer) : String(data)) as { id?: number; ok?: boolean; result?: unknown; error?: string };
      if (typeof message.id === 'number') replies.set(message.id, message as never);
    });
    await new Promise((resolve) => socket.once('open', resolve));
  });
  afterAll(async () => {
    socket.close();
    await server.close();
  });

  async function call(text: string, id: number) {
    socket.send(text);
    await waitFor(() => replies.has(id), `reply ${id}`);
    return replies.get(id)!;
  }

  it.each(PROTOTYPE_NAMES)('reset and train with "%s" are refused, and the config keeps only real settings', async (name) => {
    for (const method of ['reset', 'train']) {
      const id = nextId++;
      const reply = await call(`{"v":${CONTRACT_VERSION},"id":${id},"method":"${method}","args":[{${JSON.stringify(name)}:5}]}`, id);
      expect(reply).toMatchObject({ ok: false, error: `${method}: unknown setting '${name}' (known: ${Object.keys(defaultConfig()).join(', ')})` });
    }
    const id = nextId++;
    const state = (await call(`{"v":${CONTRACT_VERSION},"id":${id},"method":"getState","args":[]}`, id)).result as AppState;
    expect(Object.keys(state.config).sort()).toEqual(Object.keys(defaultConfig()).sort());
  });
});
