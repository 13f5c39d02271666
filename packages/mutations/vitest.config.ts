import { defineConfig } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared.js';

export default defineConfig({
  ...sourceConditions,
  test: {
    include: ['test/**/*.test.ts'],
    // The exercise test mutates a strategy file for a few seconds; the
    // catalogue test reads those files. One file at a time keeps them apart.
    fileParallelism: false,
  },
});
