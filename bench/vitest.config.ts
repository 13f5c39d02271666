import { defineConfig } from 'vitest/config';
import { sourceConditions } from '../vitest.shared.js';

export default defineConfig({
  ...sourceConditions,
  test: {
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // The end-to-end files load the machine and time what they measure: one at a time.
    fileParallelism: false,
  },
});
