import { defineConfig } from 'vitest/config';
import { onScratchDatabases, sourceConditions } from '../../vitest.shared.js';

// The server is for the errors real PostgreSQL raises, which the error
// handler must classify; the contract suite this package exports runs in
// each app, under that app's own globalSetup.
export default defineConfig({
  ...sourceConditions,
  test: onScratchDatabases,
});
