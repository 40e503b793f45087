// Where tensor storage comes from.
//
// Every Float32Array a tensor owns is allocated here, so its backing (e.g. a
// SharedArrayBuffer) can be changed in one place. The app installs no allocator: the
// worker pool copies matmul operands into its own shared memory, since WASM can address
// only that (see parallel/index.ts), so storage is an ordinary ArrayBuffer.

export type Float32Allocator = (length: number) => Float32Array;

const plainAllocator: Float32Allocator = (length) => new Float32Array(length);

let allocator: Float32Allocator = plainAllocator;

export function allocFloat32(length: number): Float32Array {
  return allocator(length);
}

/** Install an allocator (e.g. SharedArrayBuffer-backed); null restores plain ArrayBuffers. */
export function setFloat32Allocator(next: Float32Allocator | null): void {
  allocator = next ?? plainAllocator;
}
