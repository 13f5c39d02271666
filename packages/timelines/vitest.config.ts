import { defineConfig } from 'vitest/config';
import { onScratchDatabases, sourceConditions } from '../../vitest.shared.js';

export default defineConfig({
  ...sourceConditions,
  test: {
    ...onScratchDatabases,
    testTimeout: 60_000,
    // Drawing every picture on both drivers happens once, before the cases.
    hookTimeout: 180_000,
  },
});
