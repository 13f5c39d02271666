import { defineConfig } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared.js';

export default defineConfig({
  ...sourceConditions,
  test: {
    globalSetup: ['@lifetimes/databases/vitest-setup'],
    testTimeout: 60_000,
    // Drawing every picture on both drivers happens once, before the cases.
    hookTimeout: 180_000,
  },
});
