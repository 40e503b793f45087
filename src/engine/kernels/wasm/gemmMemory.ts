// The WASM kernel's linear memory: one shared WebAssembly.Memory in which every thread's
// instance of the kernel computes. WASM can only address its own memory, so a matmul
// copies A and B in (and C when accumulating) and C out; see `StagingArea`.
//
// Layout: [0, 64 KiB) is left to the module itself, then one scratch region per thread
// (packed A block and B panel), then A, B, C of the current matmul, 16-byte aligned.
import type { MatmulArgs } from '../matmul';
import { instantiate, wasmApi, type WasmMemory, type WasmModule } from './wasmApi';

const PAGE = 65536;
const RESERVED = PAGE;
/** Must not exceed the module's declared maximum (scripts/build-wasm.mjs): 1 GiB. */
export const MAX_PAGES = 16384;

export interface GemmExports {
  /** C rows [i0,i1) × cols [j0,j1); all pointers are byte offsets in the shared memory. */
  gemm(
    a: number, b: number, c: number,
    m: number, k: number, n: number,
    transA: number, transB: number, accumulate: number,
    i0: number, i1: number, j0: number, j1: number,
    scratch: number,
  ): void;
  scratchBytes(): number;
}

export function createGemmMemory(): WasmMemory {
  return new (wasmApi().Memory)({ initial: 2, maximum: MAX_PAGES, shared: true });
}

export function instantiateGemm(module: WasmModule, memory: WasmMemory): GemmExports {
  const exports = instantiate(module, memory);
  const { gemm, scratchBytes } = exports;
  if (typeof gemm !== 'function' || typeof scratchBytes !== 'function') {
    throw new Error('WASM matmul module lacks the gemm/scratchBytes exports; rebuild it with `npm run build:wasm`');
  }
  return exports as unknown as GemmExports;
}

export interface StagedMatmul {
  a: number;
  b: number;
  c: number;
}

const align16 = (bytes: number): number => (bytes + 15) & ~15;

export class StagingArea {
  private view: Float32Array;

  constructor(
    readonly memory: WasmMemory,
    private readonly scratchBytes: number,
    private readonly threads: number,
  ) {
    this.view = new Float32Array(memory.buffer);
  }

  /** Byte offset of thread t's scratch region. */
  scratch(t: number): number {
    return RESERVED + t * align16(this.scratchBytes);
  }

  /** Bytes of memory needed to hold these operands. */
  private bytesFor(args: MatmulArgs): number {
    const { m, k, n } = args;
    return this.scratch(this.threads) + align16(m * k * 4) + align16(k * n * 4) + align16(m * n * 4);
  }

  /** Grows the memory if needed and copies the operands in. */
  stage(args: MatmulArgs): StagedMatmul {
    const { m, k, n } = args;
    this.ensure(this.bytesFor(args));
    const a = this.scratch(this.threads);
    const b = a + align16(m * k * 4);
    const c = b + align16(k * n * 4);
    this.view.set(args.a.subarray(0, m * k), a >> 2);
    this.view.set(args.b.subarray(0, k * n), b >> 2);
    if (args.accumulate) this.view.set(args.c.subarray(0, m * n), c >> 2);
    return { a, b, c };
  }

  readBack(args: MatmulArgs, staged: StagedMatmul): void {
    const len = args.m * args.n;
    args.c.set(this.view.subarray(staged.c >> 2, (staged.c >> 2) + len));
  }

  /**
   * Lays out regions of these many floats after the threads' scratch (where a matmul's
   * operands go), growing the memory if needed, and returns their byte offsets, 16-byte
   * aligned. For kernels that chain several steps in the memory (convolution); the regions
   * are valid until the next stage() or reserve().
   */
  reserve(floats: readonly number[]): number[] {
    const offsets: number[] = [];
    let at = this.scratch(this.threads);
    for (const count of floats) {
      offsets.push(at);
      at += align16(count * 4);
    }
    this.ensure(at);
    return offsets;
  }

  /** The floats at byte offset `at` (a view of the memory: valid until it grows). */
  floats(at: number, length: number): Float32Array {
    return this.view.subarray(at >> 2, (at >> 2) + length);
  }

  // Only this thread grows the memory, so the view's length is the memory's length. Reading
  // `memory.buffer` per call would be wrong for speed: for a shared memory every read makes
  // a new SharedArrayBuffer object, and the garbage adds up to tens of µs per small matmul.
  private ensure(bytes: number): void {
    const have = this.view.byteLength;
    if (bytes <= have) return;
    const pages = Math.ceil((bytes - have) / PAGE);
    if (have / PAGE + pages > MAX_PAGES) {
      throw new Error(`matmul operands need ${Math.ceil(bytes / 2 ** 20)} MiB, more than the WASM kernel's 1 GiB memory`);
    }
    this.memory.grow(pages);
    this.view = new Float32Array(this.memory.buffer);
  }
}
