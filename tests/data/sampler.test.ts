import { describe, expect, it } from 'vitest';
import { Rng, type RandomSource } from '../../src/engine/data/rng';
import { RandomSampler, ShuffledEpochSampler } from '../../src/engine/data/sampler';

/** A small seeded generator (mulberry32), so these tests do not depend on Rng's exact stream. */
function source(seed: number): RandomSource {
  let a = seed >>> 0;
  return {
    int(n) {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
    },
  };
}

describe('RandomSampler', () => {
  it('draws batchSize indices in range, with replacement, reproducibly', () => {
    const a = new RandomSampler(10, source(1));
    const b = new RandomSampler(10, source(1));
    const draws = Array.from({ length: 50 }, () => a.nextBatch(8));
    for (const batch of draws) {
      expect(batch.length).toBe(8);
      expect([...batch].every((i) => i >= 0 && i < 10)).toBe(true);
      expect(b.nextBatch(8)).toEqual(batch);
    }
    const all = draws.flatMap((batch) => [...batch]);
    expect(new Set(all).size).toBe(10);
    expect(draws.some((batch) => new Set(batch).size < batch.length)).toBe(true); // repeats happen
  });

  it('with the engine Rng, draws exactly rng.int(count) per example, as the reference loop', () => {
    const reference = new Rng(0);
    const expected = Int32Array.from({ length: 64 }, () => reference.int(60000));
    const sampler = new RandomSampler(60000, new Rng(0));
    expect([...sampler.nextBatch(32), ...sampler.nextBatch(32)]).toEqual([...expected]);
  });

  it('rejects bad sizes', () => {
    expect(() => new RandomSampler(0, source(1))).toThrow(/at least one example/);
    expect(() => new RandomSampler(5, source(1)).nextBatch(0)).toThrow(/batch size must be a positive integer/);
  });
});

describe('ShuffledEpochSampler', () => {
  it('visits every example exactly once per epoch, in a new order each epoch', () => {
    const sampler = new ShuffledEpochSampler(12, source(7));
    const epoch1 = [...sampler.nextBatch(4), ...sampler.nextBatch(4), ...sampler.nextBatch(4)];
    const epoch2 = [...sampler.nextBatch(6), ...sampler.nextBatch(6)];
    expect([...epoch1].sort((x, y) => x - y)).toEqual([...Array(12).keys()]);
    expect([...epoch2].sort((x, y) => x - y)).toEqual([...Array(12).keys()]);
    expect(epoch2).not.toEqual(epoch1);
  });

  it('fills a batch that crosses an epoch boundary from the next epoch', () => {
    const sampler = new ShuffledEpochSampler(5, source(3));
    const seen = [...sampler.nextBatch(3), ...sampler.nextBatch(3), ...sampler.nextBatch(4)];
    expect(seen.length).toBe(10);
    expect([...seen.slice(0, 5)].sort()).toEqual([0, 1, 2, 3, 4]);
    expect([...seen.slice(5)].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('is reproducible for a seed', () => {
    expect(new ShuffledEpochSampler(100, source(9)).nextBatch(100)).toEqual(new ShuffledEpochSampler(100, source(9)).nextBatch(100));
  });
});
