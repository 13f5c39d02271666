import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['@lifetimes/databases/vitest-setup'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
