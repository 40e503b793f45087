// Where tensor storage comes from.
//
// Every Float32Array a tensor owns is allocated here. By default that is an ordinary
// ArrayBuffer. When the WASM kernels are on (`enableParallel` installs a StorageProvider for
// their memory), storage that the kernels should read in place comes from that memory:
//   - `persistentFloat32`: parameters (Module.registerParameter moves them there) and
//     optimizer state, for as long as they are referenced;
//   - `allocFloat32` inside a `stepScope`: the step's activations and gradients, from an
//     arena that is taken back, all at once, when the scope ends.
// Everything else (allocations outside a scope: evaluation, inference, tests) stays on the
// ordinary heap, so nothing outside a scope can ever hold arena memory that is reused.
//
// A tensor made inside a scope over arena storage remembers the scope (its epoch); reading
// its `data` after the scope has ended throws instead of returning memory the next step
// has reused. Copy out what must outlive the step inside the scope (`item()`, `toArray()`,
// `Float32Array.from(t.data)`; `clone()` there is arena memory too). Raw Float32Arrays taken
// from such tensors are not checked: do not keep them.
import { Arena, type ChunkSource } from './arena';

export type Float32Allocator = (length: number) => Float32Array;

/** Memory that kernels can use in place (the WASM memory), installed by `enableParallel`. */
export interface StorageProvider extends ChunkSource {
  /** A zeroed array that stays valid for as long as it is referenced. */
  persistent(length: number): Float32Array;
  /** Whether `array` lives in this memory. */
  holds(array: Float32Array): boolean;
}

const plainAllocator: Float32Allocator = (length) => new Float32Array(length);

let allocator: Float32Allocator = plainAllocator;
let provider: StorageProvider | null = null;
let arena: Arena | null = null;
/** Epoch of the open step scope (0: none open). Scopes are numbered from 1. */
let openEpoch = 0;
let lastEpoch = 0;
let depth = 0;

/**
 * A zeroed array of `length` floats: from the step arena inside a `stepScope` (when a
 * provider is installed), else from the installed allocator (an ordinary ArrayBuffer).
 */
export function allocFloat32(length: number): Float32Array {
  if (openEpoch !== 0 && arena !== null) return arena.alloc(length, true);
  return allocator(length);
}

/** As allocFloat32 but with undefined contents: for outputs the caller overwrites entirely. */
export function allocUninitialized(length: number): Float32Array {
  if (openEpoch !== 0 && arena !== null) return arena.alloc(length, false);
  return allocator(length);
}

/** `length` int32s with undefined contents, from the same place as allocUninitialized. */
export function allocInt32Uninitialized(length: number): Int32Array {
  const floats = allocUninitialized(length);
  return new Int32Array(floats.buffer, floats.byteOffset, length);
}

/** A zeroed array that outlives any scope: in the provider's memory when one is installed. */
export function persistentFloat32(length: number): Float32Array {
  return provider ? provider.persistent(length) : new Float32Array(length);
}

/** A persistent copy of `data` in the provider's memory, or null when no provider is installed. */
export function residentCopy(data: Float32Array): Float32Array | null {
  if (!provider) return null;
  const copy = provider.persistent(data.length);
  copy.set(data);
  return copy;
}

/** Whether kernels can use `array` in place (it lives in the installed provider's memory). */
export function isResident(array: Float32Array): boolean {
  return provider !== null && provider.holds(array);
}

/** Install an allocator (e.g. SharedArrayBuffer-backed) for storage outside step scopes; null restores plain ArrayBuffers. */
export function setFloat32Allocator(next: Float32Allocator | null): void {
  allocator = next ?? plainAllocator;
}

/** Install the memory kernels use in place (null: none, every allocation on the ordinary heap). */
export function setStorageProvider(next: StorageProvider | null): void {
  if (next === provider) return;
  if (depth > 0) throw new Error('setStorageProvider: cannot change storage inside a stepScope');
  arena?.release();
  provider = next;
  arena = next ? new Arena(next) : null;
}

/**
 * Runs one training step (or any synchronous unit of work) with its activations and
 * gradients in a step arena, taken back when `fn` returns or throws. Return plain values
 * (numbers, copies): tensors made inside over arena storage cannot be read afterwards.
 * A scope opened inside another one joins it. Without a provider it simply runs `fn`.
 */
export function stepScope<T>(fn: () => T): T {
  if (depth > 0) {
    depth++;
    try {
      return fn();
    } finally {
      depth--;
    }
  }
  depth = 1;
  openEpoch = ++lastEpoch;
  try {
    return fn();
  } finally {
    depth = 0;
    openEpoch = 0;
    arena?.reset();
  }
}

/** The epoch a tensor over `data` belongs to: the open scope's when `data` is arena memory, else 0 (valid forever). */
export function epochOf(data: Float32Array): number {
  return openEpoch !== 0 && arena !== null && arena.owns(data) ? openEpoch : 0;
}

/** Whether storage of `epoch` may still be read. */
export function isLiveEpoch(epoch: number): boolean {
  return epoch === 0 || epoch === openEpoch;
}
