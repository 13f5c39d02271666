import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['@lifetimes/databases/vitest-setup'],
    testTimeout: 60_000,
    // Drawing every picture on both drivers happens once, before the cases.
    hookTimeout: 180_000,
  },
});
