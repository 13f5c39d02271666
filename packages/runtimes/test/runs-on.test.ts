import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { RUNTIME_VERSION_ENV } from '../src/runtime-env.js';

const asked = process.env[RUNTIME_VERSION_ENV];

// Only npm run test:runtimes names a runtime; npm test runs on the machine's.
describe.skipIf(asked === undefined)(`a suite started by npm run test:runtimes`, () => {
  it('runs on the Node it was started for, through turbo, npm and vitest', () => {
    expect(process.version).toBe(`v${asked}`);
  });

  it('loads the better-sqlite3 built for that Node', () => {
    const db = new Database(':memory:');
    try {
      expect(db.prepare('select sqlite_version() is not null as ok').get()).toEqual({ ok: 1 });
    } finally {
      db.close();
    }
  });
});
