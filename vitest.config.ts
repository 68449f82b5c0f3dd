import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Tests start DuckDB instances and child CLI processes; two cores do not gain from more forks.
    maxWorkers: 2,
  },
});
