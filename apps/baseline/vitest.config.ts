import { defineConfig } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared.js';

export default defineConfig({
  ...sourceConditions,
  test: {
    globalSetup: ['@lifetimes/databases/vitest-setup'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
