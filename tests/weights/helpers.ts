// Shared builders for the weights-file tests: deterministic state dicts for any spec.
import { readFileSync } from 'node:fs';
import { defaultConfig, type TrainConfig } from '../../src/shared/contract';
import { describeModel } from '../../src/shared/model/describe';
import { mlpSpec, type ModelSpec } from '../../src/shared/model/spec';

export type Params = Map<string, { data: Float32Array; shape: number[] }>;

/** A state dict for `spec` (or the default MLP of that hidden width), filled from a small LCG. */
export function makeParams(spec: ModelSpec | number, seed = 1): Params {
  const info = describeModel(typeof spec === 'number' ? mlpSpec(spec) : spec);
  const params: Params = new Map();
  let s = seed;
  for (const { name, shape } of [...info.params, ...info.buffers]) {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) {
      s = (s * 1103515245 + 12345) % 2147483648;
      data[i] = s / 2147483648 - 0.5;
    }
    params.set(name, { data, shape });
  }
  return params;
}

export function configWith(patch: Partial<TrainConfig> = {}): TrainConfig {
  return { ...defaultConfig(), ...patch };
}

/** The default MLP with this hidden width, the rest default (or patched). */
export function mlpConfig(hidden: number, patch: Partial<TrainConfig> = {}): TrainConfig {
  return configWith({ model: mlpSpec(hidden), ...patch });
}

/** Two hidden layers with other names than the seed's l1/l2, and a bias-free output. */
export const DEEP_SPEC: ModelSpec = {
  input: [784],
  layers: [
    { name: 'fc1', type: 'linear', out: 24, bias: true },
    { name: 'a1', type: 'relu' },
    { name: 'fc2', type: 'linear', out: 12, bias: true },
    { name: 'a2', type: 'relu' },
    { name: 'fc3', type: 'linear', out: 10, bias: false },
  ],
};

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)));
}

/** The JSON header and the data section of a safetensors file. */
export function splitSafetensors(bytes: Uint8Array): { headerLength: number; header: string; data: Uint8Array } {
  const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = new TextDecoder().decode(bytes.subarray(8, 8 + headerLength));
  return { headerLength, header, data: bytes.subarray(8 + headerLength) };
}
