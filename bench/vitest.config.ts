import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // The end-to-end files load the machine and time what they measure: one at a time.
    fileParallelism: false,
  },
});
