import { defineConfig } from 'vitest/config';
import { onScratchDatabases, sourceConditions } from '../../vitest.shared.js';

export default defineConfig({
  ...sourceConditions,
  test: onScratchDatabases,
});
