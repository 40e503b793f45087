// Shared builders for the weights-file tests: deterministic parameter maps of any hidden size.
import { readFileSync } from 'node:fs';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/shared/contract';
import { paramShapes, PARAM_NAMES } from '../../src/main/weights/format';

export type Params = Map<string, { data: Float32Array; shape: number[] }>;

export function makeParams(hidden: number, seed = 1): Params {
  const params: Params = new Map();
  const shapes = paramShapes(hidden);
  let s = seed;
  for (const name of PARAM_NAMES) {
    const shape = shapes[name];
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
  return { ...DEFAULT_CONFIG, ...patch };
}

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)));
}

/** The JSON header and the data section of a safetensors file. */
export function splitSafetensors(bytes: Uint8Array): { headerLength: number; header: string; data: Uint8Array } {
  const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = new TextDecoder().decode(bytes.subarray(8, 8 + headerLength));
  return { headerLength, header, data: bytes.subarray(8 + headerLength) };
}
