// The safetensors dtypes Digitrain reads and writes, each tied to the typed array that holds it.
//
// Half-precision types (F16, BF16) are left out on purpose: no typed array holds them
// natively and nothing in the app produces them; reading one is a clear error instead.

export type Dtype = 'F64' | 'F32' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8';

export type TensorData = Float64Array | Float32Array | BigInt64Array | Int32Array | Int16Array | Int8Array | Uint8Array;

export interface TensorRecord {
  dtype: Dtype;
  shape: number[];
  data: TensorData;
}

interface DtypeInfo {
  bytes: number;
  /** Allocates a fresh, aligned array of `length` elements. */
  create(length: number): TensorData;
  /** Whether `data` is the typed array this dtype is stored in. */
  holds(data: TensorData): boolean;
}

export const DTYPES: Readonly<Record<Dtype, DtypeInfo>> = {
  F64: { bytes: 8, create: (n) => new Float64Array(n), holds: (d) => d instanceof Float64Array },
  F32: { bytes: 4, create: (n) => new Float32Array(n), holds: (d) => d instanceof Float32Array },
  I64: { bytes: 8, create: (n) => new BigInt64Array(n), holds: (d) => d instanceof BigInt64Array },
  I32: { bytes: 4, create: (n) => new Int32Array(n), holds: (d) => d instanceof Int32Array },
  I16: { bytes: 2, create: (n) => new Int16Array(n), holds: (d) => d instanceof Int16Array },
  I8: { bytes: 1, create: (n) => new Int8Array(n), holds: (d) => d instanceof Int8Array },
  U8: { bytes: 1, create: (n) => new Uint8Array(n), holds: (d) => d instanceof Uint8Array },
};

export function isDtype(value: unknown): value is Dtype {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(DTYPES, value);
}

/** safetensors stores little-endian; on a big-endian host every element is byte-swapped in place. */
export const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function swapBytesInPlace(bytes: Uint8Array, elementSize: number): void {
  if (elementSize === 1) return;
  for (let i = 0; i < bytes.length; i += elementSize) bytes.subarray(i, i + elementSize).reverse();
}
