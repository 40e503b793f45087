// Where tensor storage comes from.
//
// Every Float32Array a tensor owns is allocated here, so the worker pool can switch
// allocation to SharedArrayBuffer (workers then read inputs and write outputs in
// place, with no copies). Without the pool, storage is an ordinary ArrayBuffer.

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
