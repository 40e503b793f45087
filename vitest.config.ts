import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    // Budgets, not expectations: sized for a machine ten times slower than a quiet 2-core one (a
    // shared machine at load 15-20 is), so a test fails for being wrong or hung, never for being slow.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
