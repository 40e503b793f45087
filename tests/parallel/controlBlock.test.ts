import { expect, test } from 'vitest';
import { BLOCK_BITS, claimBlock, controlInts, createControlBlock, GEN_MASK, readErrorText, Slot, writeErrorText } from '../../src/engine/parallel/controlBlock';

test('blocks are claimed once each, in order, and only by holders of the current generation', () => {
  const ctrl = controlInts(createControlBlock());
  const gen = 12345 & GEN_MASK;
  Atomics.store(ctrl, Slot.CLAIM, gen << BLOCK_BITS);
  expect([0, 1, 2].map(() => claimBlock(ctrl, gen, 3))).toEqual([0, 1, 2]);
  expect(claimBlock(ctrl, gen, 3)).toBe(-1);
  // The next task: a worker still holding the old generation gets nothing.
  const next = (gen + 1) & GEN_MASK;
  Atomics.store(ctrl, Slot.CLAIM, next << BLOCK_BITS);
  expect(claimBlock(ctrl, gen, 3)).toBe(-1);
  expect(claimBlock(ctrl, next, 3)).toBe(0);
});

test('the largest generation still packs into a positive int32', () => {
  const ctrl = controlInts(createControlBlock());
  Atomics.store(ctrl, Slot.CLAIM, GEN_MASK << BLOCK_BITS);
  expect(Atomics.load(ctrl, Slot.CLAIM)).toBeGreaterThan(0);
  expect(claimBlock(ctrl, GEN_MASK, 2)).toBe(0);
});

test('error text round-trips through shared memory, truncated to the area', () => {
  const buffer = createControlBlock();
  writeErrorText(buffer, 'pool worker 2: memory access out of bounds');
  expect(readErrorText(buffer)).toBe('pool worker 2: memory access out of bounds');
  writeErrorText(buffer, 'x'.repeat(5000));
  expect(readErrorText(buffer).length).toBeLessThan(2048);
});
