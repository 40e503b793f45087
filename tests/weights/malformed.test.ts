// Every way a weights file can be wrong gets a WeightsFileError that names the problem.
// (That the live model stays untouched is tested at the session level, in loadInto.test.ts.)
import { describe, expect, it } from 'vitest';
import { encodeSafetensors, type TensorRecord } from '../../src/engine/io/safetensors';
import { decodeWeightsFile } from '../../src/main/weights/decode';
import { encodeWeightsFile } from '../../src/main/weights/encode';
import { WeightsFileError } from '../../src/main/weights/format';
import { buildWeightsMetadata } from '../../src/main/weights/metadata';
import { mlpSpec } from '../../src/shared/model/spec';
import { KNOWN_OPTIMIZERS, UNKNOWN_OPTIMIZER } from '../shared/unknownOptimizer';
import { DEEP_SPEC, makeParams, mlpConfig } from './helpers';

const HIDDEN = 8;
const config = mlpConfig(HIDDEN);

function records(hidden = HIDDEN): Map<string, TensorRecord> {
  const out = new Map<string, TensorRecord>();
  for (const [name, p] of makeParams(hidden)) out.set(name, { dtype: 'F32', shape: p.shape, data: p.data });
  return out;
}

function digitrainFile(tensors: Map<string, TensorRecord>, metadata: Record<string, string> = {}): Uint8Array {
  return encodeSafetensors(tensors, { ...buildWeightsMetadata({ config, step: 3, testAccuracy: 0.1 }), ...metadata });
}

function rejects(bytes: Uint8Array, message: RegExp): void {
  let error: unknown = null;
  try {
    decodeWeightsFile(bytes);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(WeightsFileError);
  expect((error as Error).message).toMatch(message);
}

describe('decodeWeightsFile rejects', () => {
  const good = encodeWeightsFile({ params: makeParams(HIDDEN), config, step: 3, testAccuracy: 0.1 });

  it('a truncated file', () => {
    rejects(good.subarray(0, good.length - 100), /not a valid safetensors file: .*truncated/);
    rejects(good.subarray(0, 5), /not a valid safetensors file: .*too short/);
  });

  it('garbage and an empty file', () => {
    rejects(new TextEncoder().encode('this is a PNG, honestly, not weights at all'), /not a valid safetensors file/);
    rejects(new Uint8Array(0), /not a valid safetensors file/);
  });

  it('a header length beyond any sane limit', () => {
    const bytes = good.slice();
    new DataView(bytes.buffer).setBigUint64(0, 2n ** 60n, true);
    rejects(bytes, /not a valid safetensors file: it is not a weights file/);
  });

  it('a header that is not JSON', () => {
    const bytes = good.slice();
    bytes[8] = 0x5b; // '{' → '['
    bytes[9] = 0x7d;
    rejects(bytes, /not a valid safetensors file: header/);
  });

  it('a wrong dtype', () => {
    const tensors = records();
    const bias = tensors.get('l1.bias')!;
    tensors.set('l1.bias', { dtype: 'I32', shape: bias.shape, data: new Int32Array(bias.data.length) });
    rejects(digitrainFile(tensors), /tensor "l1.bias" is I32; Digitrain weights must be F32/);
  });

  it('a shape that contradicts the model in the metadata', () => {
    const tensors = records();
    tensors.set('l2.weight', { dtype: 'F32', shape: [10, HIDDEN + 1], data: new Float32Array(10 * (HIDDEN + 1)) });
    rejects(digitrainFile(tensors), /tensor "l2.weight" has shape \[10, 9\] but the model needs \[10, 8\]/);
  });

  it('a model in the metadata that disagrees with every tensor', () => {
    rejects(digitrainFile(records(), { model: JSON.stringify(mlpSpec(32)) }), /tensor "l1.weight" has shape \[8, 784\] but the model needs \[32, 784\]/);
    rejects(digitrainFile(records(), { model: JSON.stringify(DEEP_SPEC) }), /unknown tensor "l1.weight": the file's model holds fc1.weight, fc1.bias/);
  });

  it('a model in the metadata that cannot be built, naming the layer', () => {
    const broken = {
      input: [784],
      layers: [
        { name: 'l1', type: 'linear', out: 8 },
        { name: 'act', type: 'relu' },
        { name: 'l2', type: 'linear', out: 7 },
      ],
    };
    rejects(digitrainFile(records(), { model: JSON.stringify(broken) }), /the file's model cannot be built: the model must end with 10 outputs.*"l2" \(linear\) gives \[7\]/);
    rejects(digitrainFile(records(), { model: '{"input":[784],"layers":[{"name":"l1","type":"conv9"}]}' }), /layer "l1": unknown type "conv9"/);
    rejects(digitrainFile(records(), { model: '{oops' }), /metadata model is not valid JSON/);
  });

  it("inconsistent shapes without metadata (the seed's MLP is inferred from l1.weight)", () => {
    const tensors = records();
    tensors.set('l1.bias', { dtype: 'F32', shape: [HIDDEN + 2], data: new Float32Array(HIDDEN + 2) });
    rejects(encodeSafetensors(tensors), /tensor "l1.bias" has shape \[10\] but the model needs \[8\]/);
  });

  it("a file without metadata that is not the seed's MLP", () => {
    const deep = new Map<string, TensorRecord>();
    for (const [name, p] of makeParams(DEEP_SPEC)) deep.set(name, { dtype: 'F32', shape: p.shape, data: p.data });
    rejects(encodeSafetensors(deep), /does not say which model it holds \(no "model" metadata\).*starts with "fc1.weight"/);
  });

  it('a different input size or class count', () => {
    const legacy = buildWeightsMetadata({ config, step: 3, testAccuracy: 0.1 });
    delete (legacy as Record<string, string>).model;
    rejects(encodeSafetensors(records(), { ...legacy, formatVersion: '1', architecture: '{"type":"mlp","layers":[3072,8,10]}' }), /architecture is 3072-8-10/);
    const tensors = records();
    tensors.set('l1.weight', { dtype: 'F32', shape: [HIDDEN, 100], data: new Float32Array(HIDDEN * 100) });
    rejects(encodeSafetensors(tensors), /tensor "l1.weight" has shape \[8, 100\]; the seed's MLP has \[hidden, 784\]/);
  });

  it('NaN and infinite values', () => {
    const tensors = records();
    (tensors.get('l2.weight')!.data as Float32Array)[17] = Number.NaN;
    rejects(digitrainFile(tensors), /tensor "l2.weight" contains NaN at index 17/);
    const inf = records();
    (inf.get('l1.bias')!.data as Float32Array)[2] = Number.NEGATIVE_INFINITY;
    rejects(digitrainFile(inf), /tensor "l1.bias" contains -Infinity at index 2/);
  });

  it('a missing tensor', () => {
    const tensors = records();
    tensors.delete('l2.bias');
    rejects(digitrainFile(tensors), /missing tensor "l2.bias"/);
  });

  it('an unknown tensor', () => {
    const tensors = records();
    tensors.set('l3.weight', { dtype: 'F32', shape: [2], data: new Float32Array(2) });
    rejects(digitrainFile(tensors), /unknown tensor "l3.weight"/);
  });

  it('a file from a newer Digitrain, or with broken metadata', () => {
    rejects(digitrainFile(records(), { formatVersion: '99' }), /format version 99 is newer/);
    rejects(digitrainFile(records(), { hyperparameters: '{"optimizer":{"type":"adam","hyper":{"lr":-1}}}' }), /metadata hyperparameters: lr must be from 1e-7 to 10/);
    rejects(digitrainFile(records(), { hyperparameters: '{"batchSize":0}' }), /metadata hyperparameters: batchSize must be from 1 to 4096/);
    rejects(digitrainFile(records(), { step: '-3' }), /metadata step "-3" is not a non-negative integer/);
    rejects(digitrainFile(records(), { testAccuracy: '1.5' }), /testAccuracy "1.5" is not a number in \[0, 1\]/);
  });

  it('a hidden size beyond the supported range', () => {
    const tensors = records();
    tensors.set('l1.weight', { dtype: 'F32', shape: [0, 784], data: new Float32Array(0) });
    rejects(encodeSafetensors(tensors), /layer "l1" \(linear\): out must be from 1 to 4096 \(got 0\)/);
    rejects(digitrainFile(records(), { model: JSON.stringify(mlpSpec(5000)) }), /layer "l1" \(linear\): out must be from 1 to 4096 \(got 5000\)/);
  });

  it('metadata keys that are Object.prototype names are no settings', () => {
    for (const name of Object.getOwnPropertyNames(Object.prototype)) {
      const hyper = JSON.stringify({ optimizer: { type: 'adam', hyper: JSON.parse(`{"${name}": 1}`) } });
      rejects(digitrainFile(records(), { hyperparameters: hyper }), /has no hyperparameter/);
    }
  });
});

describe('decodeWeightsFile rejects inconsistent optimizer state', () => {
  function withOptim(extra: Map<string, TensorRecord>, metadata: Record<string, string>): Uint8Array {
    const tensors = records();
    for (const [name, record] of extra) tensors.set(name, record);
    return digitrainFile(tensors, metadata);
  }
  const adamMeta = { 'optim.kind': 'adam', 'optim.step': '5', 'optim.hyper': '{"lr":0.001}' };
  function adamBuffers(): Map<string, TensorRecord> {
    const out = new Map<string, TensorRecord>();
    const base = records();
    ['l1.weight', 'l1.bias', 'l2.weight', 'l2.bias'].forEach((name, i) => {
      const shape = base.get(name)!.shape;
      const size = shape.reduce((a, b) => a * b, 1);
      out.set(`optim.${i}.exp_avg`, { dtype: 'F32', shape, data: new Float32Array(size) });
      out.set(`optim.${i}.exp_avg_sq`, { dtype: 'F32', shape, data: new Float32Array(size) });
    });
    return out;
  }

  it('accepts a complete Adam state', () => {
    expect(decodeWeightsFile(withOptim(adamBuffers(), adamMeta)).optimizer?.step).toBe(5);
  });

  it('optimizer tensors without optimizer metadata', () => {
    rejects(withOptim(adamBuffers(), {}), /optimizer tensors \(optim.0.exp_avg\) but no "optim.kind" metadata/);
  });

  it('an unknown optimizer kind or buffer', () => {
    rejects(withOptim(adamBuffers(), { ...adamMeta, 'optim.kind': UNKNOWN_OPTIMIZER }), new RegExp(`optim.kind "${UNKNOWN_OPTIMIZER}" is not one of ${KNOWN_OPTIMIZERS}$`));
    rejects(withOptim(adamBuffers(), { ...adamMeta, 'optim.kind': 'toString' }), new RegExp(`optim.kind "toString" is not one of ${KNOWN_OPTIMIZERS}$`));
    const extra = adamBuffers();
    extra.set('optim.0.momentum_buffer', { dtype: 'F32', shape: [HIDDEN, 784], data: new Float32Array(HIDDEN * 784) });
    rejects(withOptim(extra, adamMeta), /unknown optimizer tensor "optim.0.momentum_buffer"/);
    const badIndex = adamBuffers();
    badIndex.set('optim.7.exp_avg', { dtype: 'F32', shape: [1], data: new Float32Array(1) });
    rejects(withOptim(badIndex, adamMeta), /unknown optimizer tensor "optim.7.exp_avg"/);
  });

  it('a buffer with the wrong shape, dtype or values', () => {
    const shape = adamBuffers();
    shape.set('optim.1.exp_avg', { dtype: 'F32', shape: [HIDDEN + 1], data: new Float32Array(HIDDEN + 1) });
    rejects(withOptim(shape, adamMeta), /tensor "optim.1.exp_avg" has shape \[9\] but l1.bias has \[8\]/);
    const nan = adamBuffers();
    (nan.get('optim.2.exp_avg_sq')!.data as Float32Array)[4] = Number.NaN;
    rejects(withOptim(nan, adamMeta), /tensor "optim.2.exp_avg_sq" contains NaN at index 4/);
  });

  it('buffers for only some parameters, or an Adam state past step 0 without buffers', () => {
    const partial = adamBuffers();
    partial.delete('optim.3.exp_avg');
    rejects(withOptim(partial, adamMeta), /has exp_avg for 3 of 4 parameters/);
    rejects(withOptim(new Map(), adamMeta), /Adam state is at step 5 but lacks its exp_avg and exp_avg_sq tensors/);
  });

  it('missing or malformed step and hyperparameters', () => {
    rejects(withOptim(adamBuffers(), { 'optim.kind': 'adam', 'optim.hyper': '{}' }), /no "optim.step" metadata/);
    rejects(withOptim(adamBuffers(), { ...adamMeta, 'optim.hyper': '{"lr":"fast"}' }), /optim.hyper: lr must be a finite number/);
  });
});
