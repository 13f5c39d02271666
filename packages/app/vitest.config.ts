import { defineConfig } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared.js';

// The server is for the errors real PostgreSQL raises, which the error
// handler must classify; the contract suite this package exports runs in
// each app, under that app's own globalSetup.
export default defineConfig({
  ...sourceConditions,
  test: {
    globalSetup: ['@lifetimes/databases/vitest-setup'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
