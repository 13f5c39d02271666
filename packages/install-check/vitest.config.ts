import { defineConfig } from 'vitest/config';
import { onScratchDatabases, sourceConditions } from '../../vitest.shared.js';

export default defineConfig({
  ...sourceConditions,
  test: {
    ...onScratchDatabases,
    testTimeout: 60_000,
    // Building, packing and installing happen once per file, before its first case.
    hookTimeout: 180_000,
    // One file at a time: the second one's build is then a turbo cache hit.
    fileParallelism: false,
  },
});
