// A step arena: the storage of one training step's activations and gradients, handed out by
// bumping an offset through a chunk of memory and taken back all at once when the step's
// scope ends (storage.ts `stepScope`). A step allocates the same sizes in the same order
// every time, so after the first step the arena neither allocates memory nor makes garbage:
// the chunk is reused and so are the Float32Array views of it (cached by allocation order).
//
// A step that needs more than the chunk gets a second chunk for the rest of that step; at
// the scope's end the chunks are replaced by one big enough for all, so it happens once.

import { spanRecorder } from './profile';

/** Memory the arena draws its chunks from (the WASM memory's blocks). */
export interface ChunkSource {
  /** A chunk of `floats` floats (contents undefined), released with `releaseChunk`. */
  chunk(floats: number): Float32Array;
  releaseChunk(chunk: Float32Array): void;
}

/** Every view starts on a 64-byte line (16 floats): SIMD loads stay aligned and neighbours share no line. */
const ALIGN_FLOATS = 16;
const MIN_CHUNK_FLOATS = 1 << 18; // 1 MiB

export class Arena {
  private chunks: Float32Array[] = [];
  private current = 0;
  private used = 0;
  private total = 0;
  private views: Float32Array[] = [];
  private count = 0;

  constructor(private readonly source: ChunkSource) {}

  /** `length` floats, zeroed unless `zero` is false (then the caller writes every element). */
  alloc(length: number, zero = true): Float32Array {
    const size = Math.ceil(length / ALIGN_FLOATS) * ALIGN_FLOATS;
    let chunk = this.chunks[this.current];
    if (chunk === undefined || this.used + size > chunk.length) chunk = this.nextChunk(size);
    const start = this.used;
    this.used += size;
    this.total += size;
    const i = this.count++;
    let view = this.views[i];
    if (view === undefined || view.buffer !== chunk.buffer || view.byteOffset !== chunk.byteOffset + start * 4 || view.length !== length) {
      view = chunk.subarray(start, start + length);
      this.views[i] = view;
    }
    if (zero) {
      // Timed by `npm run bench -- --profile` (profile.ts): the zero fills a step pays for.
      const rec = spanRecorder();
      rec?.begin('zero');
      view.fill(0);
      rec?.end();
    }
    return view;
  }

  /** Whether `array` is (a view of) memory this arena handed out. */
  owns(array: Float32Array): boolean {
    for (let i = 0; i < this.chunks.length; i++) {
      const chunk = this.chunks[i];
      if (array.buffer === chunk.buffer) {
        const offset = array.byteOffset - chunk.byteOffset;
        if (offset >= 0 && offset < chunk.byteLength) return true;
      }
    }
    return false;
  }

  /** Takes everything back. If the step overflowed its chunk, one chunk for the whole step replaces them. */
  reset(): void {
    if (this.chunks.length > 1) {
      const old = this.chunks;
      // Forget the chunks before giving them back: if the new chunk cannot be had, the arena is
      // empty (the next step allocates afresh), never holding chunks it has released.
      this.chunks = [];
      this.views = [];
      for (const chunk of old) this.source.releaseChunk(chunk);
      try {
        this.chunks = [this.source.chunk(Math.ceil(this.total * 1.25))];
      } catch {
        // Only an optimisation failed (one chunk instead of several): reset runs in the step
        // scope's `finally`, where throwing would hide the step's own error.
      }
    }
    this.current = 0;
    this.used = 0;
    this.total = 0;
    this.count = 0;
  }

  /** Floats held in chunks (for tests). */
  get capacity(): number {
    return this.chunks.reduce((sum, c) => sum + c.length, 0);
  }

  /** Releases every chunk; the arena starts empty again (scopes must be closed). */
  release(): void {
    for (const chunk of this.chunks) this.source.releaseChunk(chunk);
    this.chunks = [];
    this.views = [];
    this.reset();
  }

  private nextChunk(size: number): Float32Array {
    // Nothing changes until the chunk is had: an allocation that throws leaves the arena as it was.
    const next = this.chunks.length > 0 ? this.current + 1 : 0;
    let chunk = this.chunks[next];
    if (chunk === undefined || chunk.length < size) {
      const last = this.chunks[this.chunks.length - 1];
      chunk = this.source.chunk(Math.max(size, MIN_CHUNK_FLOATS, last ? last.length : 0));
      this.chunks.splice(next, 0, chunk);
    }
    this.current = next;
    this.used = 0;
    return chunk;
  }
}
