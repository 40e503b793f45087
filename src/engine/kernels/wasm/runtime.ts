// One thread's WASM kernels: the memory tensors live in while training, this thread's
// instance of the kernel module over it, and the storage the engine allocates from it.
// parallel/runtime.ts keeps one per thread; the pool's workers instantiate the same module
// over the same memory.
import type { StorageProvider } from '../../storage';
import { EngineMemory } from './engineMemory';
import { instantiateKernels, type KernelExports } from './kernelExports';
import type { WasmModule } from './wasmApi';

export class WasmRuntime {
  readonly kernels: KernelExports;
  /** Copies of read-only byte arrays (a data set's pixels) in the memory, made once per array. */
  private readonly residentBytes = new WeakMap<Uint8Array, Uint8Array>();
  private readonly intScratch: IntScratch;
  /** Tensor storage in this memory: persistent blocks and step-arena chunks. */
  readonly storage: StorageProvider;

  constructor(
    readonly module: WasmModule,
    readonly memory: EngineMemory = new EngineMemory(),
  ) {
    this.kernels = instantiateKernels(module, memory.memory);
    this.intScratch = new IntScratch(memory);
    this.storage = {
      persistent: (length) => memory.persistentFloat32(length),
      holds: (array) => memory.holds(array),
      chunk: (floats) => memory.float32(memory.alloc(floats * 4), floats),
      releaseChunk: (chunk) => memory.free(chunk.byteOffset),
    };
  }

  /** The first `count` of `values` copied into a scratch block (valid until the next call); its byte offset. */
  ints(values: Int32Array, count: number): number {
    return this.intScratch.copy(values, count);
  }

  /**
   * `bytes` where the kernels can read them: the array itself when it lives in the memory,
   * else a copy made once (later calls with the same array return it, so the array must not
   * change), freed when the array is garbage-collected.
   */
  residentCopyOf(bytes: Uint8Array): Uint8Array {
    if (this.memory.holds(bytes)) return bytes;
    let copy = this.residentBytes.get(bytes);
    if (!copy) {
      copy = this.memory.persistentBytes(bytes.length);
      copy.set(bytes);
      this.residentBytes.set(bytes, copy);
    }
    return copy;
  }
}

/** A reusable block for small int32 operands, grown as needed. */
class IntScratch {
  private offset = -1;
  private capacity = 0;
  private view: Int32Array = new Int32Array(0);

  constructor(private readonly memory: EngineMemory) {}

  /** Copies the first `count` values into the block; returns its byte offset. */
  copy(values: Int32Array, count: number): number {
    if (count > this.capacity) {
      const capacity = Math.max(count, 2 * this.capacity, 1024);
      // Forget the old block before allocating: a throwing alloc must leave no freed block recorded as ours.
      if (this.offset >= 0) this.memory.free(this.offset);
      this.offset = -1;
      this.capacity = 0;
      this.view = new Int32Array(0);
      const offset = this.memory.alloc(capacity * 4);
      this.view = new Int32Array(this.memory.allFloats.buffer, offset, capacity);
      this.offset = offset;
      this.capacity = capacity;
    }
    this.view.set(count === values.length ? values : values.subarray(0, count));
    return this.offset;
  }
}
