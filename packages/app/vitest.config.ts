import { defineConfig } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared.js';

// No globalSetup: this package's own tests touch no database. The contract
// suite it exports runs in each app, under that app's globalSetup.
export default defineConfig({
  ...sourceConditions,
  test: {
    testTimeout: 30_000,
  },
});
