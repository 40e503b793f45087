// The WASM memory's block bookkeeping: first fit, merging on release, growth.
import { describe, expect, it } from 'vitest';
import { BlockAllocator } from '../../src/engine/kernels/wasm/blockAllocator';

describe('BlockAllocator', () => {
  it('hands out aligned, disjoint blocks first-fit and reuses released ones', () => {
    const a = new BlockAllocator(64, 64 * 100);
    const x = a.alloc(10)!;
    const y = a.alloc(100)!;
    const z = a.alloc(64)!;
    expect([x, y, z]).toEqual([64, 128, 256]);
    expect(a.sizeOf(y)).toBe(128);
    expect(a.liveBytes).toBe(64 + 128 + 64);
    a.release(y);
    expect(a.alloc(64)).toBe(128); // first fit: the hole y left
    expect(a.alloc(64)).toBe(192);
    expect(a.alloc(64)).toBe(320);
  });

  it('merges a released block with free neighbours on both sides', () => {
    const a = new BlockAllocator(0, 64 * 10);
    const blocks = [0, 1, 2, 3].map(() => a.alloc(64)!);
    a.release(blocks[1]);
    a.release(blocks[3]); // merges with the free tail
    expect(a.freeRanges()).toEqual([
      { start: 64, size: 64 },
      { start: 192, size: 64 * 7 },
    ]);
    a.release(blocks[2]); // joins the hole before and the tail after
    expect(a.freeRanges()).toEqual([{ start: 64, size: 64 * 9 }]);
    expect(a.liveBlocks).toBe(1);
  });

  it('returns null when nothing fits, and fits after extend', () => {
    const a = new BlockAllocator(0, 256);
    expect(a.alloc(200)).toBe(0);
    expect(a.alloc(128)).toBeNull();
    expect(a.freeAtEnd).toBe(0);
    a.extend(512);
    expect(a.freeAtEnd).toBe(256);
    expect(a.alloc(128)).toBe(256);
  });

  it('refuses to release what it did not hand out', () => {
    const a = new BlockAllocator(0, 1024);
    const x = a.alloc(64)!;
    a.release(x);
    expect(() => a.release(x)).toThrow(/no live block at 0/);
    expect(() => new BlockAllocator(3, 1024)).toThrow(/aligned/);
  });
});
