// The WASM kernels' linear memory, where tensors live while the engine trains: one shared
// WebAssembly.Memory per thread that uses the kernels, seen by the pool's workers too.
//
// WASM can address only its own memory, so a tensor whose storage is a view of this memory
// is read and written by the kernels in place; any other array is copied in and out
// (`Staging`). Blocks are handed out by a first-fit allocator (blockAllocator.ts):
//   - persistent blocks (parameters, optimizer state, a data set's pixels) are freed when
//     the Float32Array handed out for them is garbage-collected (a FinalizationRegistry);
//   - explicit blocks (step arenas, the pool's scratch, staging) are freed by their owner.
// A shared memory never moves or detaches when it grows: views made before stay valid. It
// cannot shrink either; freed blocks are reused instead.
//
// Layout: [0, 64 KiB) is left to the module's own static data, then blocks.
import { alignUp, BlockAllocator } from './blockAllocator';
import { wasmApi, type WasmMemory } from './wasmApi';

export const PAGE = 65536;
const RESERVED = PAGE;
/** Must not exceed the module's declared maximum (scripts/build-wasm.mjs): 1 GiB. */
export const MAX_PAGES = 16384;
/** Grow by at least this much, so that a run of small allocations does not grow page by page. */
const MIN_GROWTH_PAGES = 32;

export function createSharedMemory(initialPages = 2): WasmMemory {
  return new (wasmApi().Memory)({ initial: initialPages, maximum: MAX_PAGES, shared: true });
}

export class EngineMemory {
  private readonly allocator: BlockAllocator;
  /** Every buffer object views were made from: a shared memory's `buffer` is a new object after each growth. */
  private readonly buffers: (ArrayBuffer | SharedArrayBuffer)[] = [];
  private buffer: ArrayBuffer | SharedArrayBuffer;
  private floats: Float32Array;
  private readonly registry = new FinalizationRegistry<number>((offset) => this.allocator.release(offset));
  private allocations = 0;
  /** Test hook: the allocation this many allocations from now throws (-1: none). */
  private failIn = -1;

  constructor(readonly memory: WasmMemory = createSharedMemory()) {
    // Read `memory.buffer` only here and after growing: for a shared memory each read makes
    // a new SharedArrayBuffer object (garbage, and a different identity for `holds`).
    this.buffer = memory.buffer;
    this.buffers.push(this.buffer);
    this.floats = new Float32Array(this.buffer);
    this.allocator = new BlockAllocator(RESERVED, this.buffer.byteLength);
  }

  /** Whether `view` is a view of this memory, so a kernel can use it in place (at `view.byteOffset`). */
  holds(view: ArrayBufferView): boolean {
    const b = view.buffer;
    if (b === this.buffer) return true;
    for (let i = 0; i < this.buffers.length; i++) if (this.buffers[i] === b) return true;
    return false;
  }

  /** Offset of a new block of at least `bytes` (contents undefined), growing the memory if needed. Free it with `free`. */
  alloc(bytes: number): number {
    if (this.failIn >= 0 && this.failIn-- === 0) throw new Error(`WASM memory: injected allocation failure (${bytes} bytes)`);
    this.allocations++;
    let offset = this.allocator.alloc(bytes);
    if (offset === null) {
      this.grow(alignUp(bytes) - this.allocator.freeAtEnd);
      offset = this.allocator.alloc(bytes);
      if (offset === null) throw new Error(`WASM memory: no room for ${bytes} bytes after growing`);
    }
    return offset;
  }

  /**
   * Test hook: the allocation `n` allocations from now (0: the next one) throws as an
   * exhausted memory would, so tests can prove every caller is exception-safe; -1 cancels.
   */
  failAllocationIn(n: number): void {
    this.failIn = n;
  }

  /** Whether an injected failure is still pending (it has not fired yet). */
  get failurePending(): boolean {
    return this.failIn >= 0;
  }

  free(offset: number): void {
    this.allocator.release(offset);
  }

  /** A zeroed array in a block of its own, freed when the array is garbage-collected. */
  persistentFloat32(length: number): Float32Array {
    const offset = this.alloc(length * 4);
    const view = this.float32(offset, length);
    view.fill(0);
    this.registry.register(view, offset);
    return view;
  }

  /** Bytes in a block of their own, freed when the array is garbage-collected (contents undefined). */
  persistentBytes(length: number): Uint8Array {
    const offset = this.alloc(length);
    const view = new Uint8Array(this.buffer, offset, length);
    this.registry.register(view, offset);
    return view;
  }

  /** A view of `length` floats at byte `offset`. */
  float32(offset: number, length: number): Float32Array {
    return new Float32Array(this.buffer, offset, length);
  }

  /** The whole memory as floats (valid until the memory next grows; re-read it after `alloc`). */
  get allFloats(): Float32Array {
    return this.floats;
  }

  /** Bytes held by live blocks (tests and the bench watch this for leaks). */
  get liveBytes(): number {
    return this.allocator.liveBytes;
  }

  /** Blocks allocated so far (a training loop in steady state adds none). */
  get allocationCount(): number {
    return this.allocations;
  }

  get byteLength(): number {
    return this.buffer.byteLength;
  }

  private grow(bytes: number): void {
    const have = this.buffer.byteLength / PAGE;
    const pages = Math.max(Math.ceil(bytes / PAGE), MIN_GROWTH_PAGES, Math.ceil(have / 4));
    const allowed = Math.min(pages, MAX_PAGES - have);
    if (allowed < Math.ceil(bytes / PAGE)) {
      throw new Error(`WASM memory: ${Math.ceil(bytes / 2 ** 20)} MiB more would exceed the kernels' 1 GiB`);
    }
    this.memory.grow(allowed);
    this.buffer = this.memory.buffer;
    this.buffers.push(this.buffer);
    this.floats = new Float32Array(this.buffer);
    this.allocator.extend(this.buffer.byteLength);
  }
}

/**
 * Where a kernel call's operands sit in the memory: arrays that live there are used in place,
 * others are copied into one reusable staging block (and outputs copied back by the caller).
 */
export class Staging {
  private block = -1;
  private size = 0;
  private used = 0;

  constructor(private readonly memory: EngineMemory) {}

  /** Bytes `place` will need for `length` floats of `array`: none when it lives in the memory. */
  bytesFor(array: Float32Array, length: number): number {
    return this.memory.holds(array) ? 0 : alignUp(length * 4);
  }

  /** Bytes `room` will need for `length` floats. */
  bytesForRoom(length: number): number {
    return alignUp(length * 4);
  }

  /** Starts a call that stages up to `bytes` (the sum of `bytesFor` and `bytesForRoom` over its operands). */
  begin(bytes: number): void {
    this.used = 0;
    if (bytes <= this.size) return;
    const want = alignUp(Math.max(bytes, this.size * 2));
    // Give the old block back first (it may be what makes room), and forget it before
    // allocating: if the allocation throws, the staging is empty, never a freed block that a
    // later call would take for a large one (issue 26: that corrupted every later result).
    this.release();
    let block: number;
    try {
      block = this.memory.alloc(want);
    } catch (err) {
      // Doubling is only to amortise growth: settle for what this call needs.
      if (want === alignUp(bytes)) throw err;
      block = this.memory.alloc(alignUp(bytes));
      this.block = block;
      this.size = alignUp(bytes);
      return;
    }
    this.block = block;
    this.size = want;
  }

  /** Byte offset of `length` floats of `array`: in place, or a staged copy (`copy` false: room only). */
  place(array: Float32Array, length: number, copy: boolean): number {
    if (this.memory.holds(array)) return array.byteOffset;
    const at = this.block + this.used;
    this.used += alignUp(length * 4);
    if (copy) this.memory.allFloats.set(length === array.length ? array : array.subarray(0, length), at >> 2);
    return at;
  }

  /** Byte offset of room for `length` floats in the staging block (contents undefined): a kernel's temporaries. */
  room(length: number): number {
    const at = this.block + this.used;
    this.used += alignUp(length * 4);
    return at;
  }

  /** Frees the staging block (the next call allocates a new one). */
  release(): void {
    if (this.block >= 0) this.memory.free(this.block);
    this.block = -1;
    this.size = 0;
  }

  /** Copies `length` floats at byte `offset` back into `array` (when it was staged). */
  readBack(array: Float32Array, length: number, offset: number): void {
    if (this.memory.holds(array)) return;
    const floats = this.memory.allFloats;
    array.set(floats.subarray(offset >> 2, (offset >> 2) + length));
  }
}
