// Bookkeeping for blocks of the WASM memory: which byte ranges are handed out and which are
// free. First fit over a free list kept sorted by address, with neighbours merged on release,
// so a training run that allocates the same sizes again and again reuses the same blocks.
// It knows nothing of the memory itself: when nothing fits, the owner grows the memory and
// calls `extend`.

export interface FreeRange {
  start: number;
  size: number;
}

/** Every block starts on a cache line: SIMD loads want 16 bytes, two threads writing neighbouring blocks want 64. */
export const BLOCK_ALIGN = 64;

export const alignUp = (bytes: number, to = BLOCK_ALIGN): number => Math.ceil(bytes / to) * to;

export class BlockAllocator {
  private readonly free: FreeRange[] = [];
  private readonly live = new Map<number, number>();
  private liveTotal = 0;

  /** Manages [start, end); both multiples of BLOCK_ALIGN. */
  constructor(
    start: number,
    private end: number,
  ) {
    if (start % BLOCK_ALIGN !== 0 || end % BLOCK_ALIGN !== 0 || end < start) {
      throw new Error(`BlockAllocator: [${start}, ${end}) is not an aligned range`);
    }
    if (end > start) this.free.push({ start, size: end - start });
  }

  /** Offset of a new block of at least `bytes`, or null when no free range is big enough. */
  alloc(bytes: number): number | null {
    const size = alignUp(Math.max(bytes, 1));
    for (let i = 0; i < this.free.length; i++) {
      const range = this.free[i];
      if (range.size < size) continue;
      const offset = range.start;
      if (range.size === size) this.free.splice(i, 1);
      else {
        range.start += size;
        range.size -= size;
      }
      this.live.set(offset, size);
      this.liveTotal += size;
      return offset;
    }
    return null;
  }

  /** Returns a block to the free list; releasing anything else is a bug and throws. */
  release(offset: number): void {
    const size = this.live.get(offset);
    if (size === undefined) throw new Error(`BlockAllocator: no live block at ${offset}`);
    this.live.delete(offset);
    this.liveTotal -= size;
    this.insertFree(offset, size);
  }

  /** The managed range now ends at `end` (the memory grew); the new space is free. */
  extend(end: number): void {
    if (end % BLOCK_ALIGN !== 0 || end < this.end) throw new Error(`BlockAllocator: cannot extend to ${end}`);
    if (end > this.end) this.insertFree(this.end, end - this.end);
    this.end = end;
  }

  /** Size of the live block at `offset` (undefined when there is none). */
  sizeOf(offset: number): number | undefined {
    return this.live.get(offset);
  }

  get liveBytes(): number {
    return this.liveTotal;
  }

  get liveBlocks(): number {
    return this.live.size;
  }

  /** Free bytes at the very end of the range (what growing would add to). */
  get freeAtEnd(): number {
    const last = this.free[this.free.length - 1];
    return last && last.start + last.size === this.end ? last.size : 0;
  }

  /** A copy of the free list, for tests. */
  freeRanges(): FreeRange[] {
    return this.free.map((r) => ({ ...r }));
  }

  private insertFree(start: number, size: number): void {
    let i = 0;
    while (i < this.free.length && this.free[i].start < start) i++;
    const before = this.free[i - 1];
    const after = this.free[i];
    if (before && before.start + before.size === start) {
      before.size += size;
      if (after && start + size === after.start) {
        before.size += after.size;
        this.free.splice(i, 1);
      }
    } else if (after && start + size === after.start) {
      after.start = start;
      after.size += size;
    } else {
      this.free.splice(i, 0, { start, size });
    }
  }
}
