import { defineConfig } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared.js';

export default defineConfig({
  ...sourceConditions,
  test: {
    globalSetup: ['@lifetimes/databases/vitest-setup'],
    testTimeout: 60_000,
    // Building, packing and installing happen once, before the first case.
    hookTimeout: 180_000,
  },
});
