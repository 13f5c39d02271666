import { describe, expect, it } from 'vitest';
import { inOwnTerms } from '../src/authoring.js';

describe('inOwnTerms', () => {
  it("renames maxConnections to the strategy's cap and keeps every shared setting", () => {
    expect(
      inOwnTerms(
        { maxConnections: 7, acquireTimeoutMs: 250, applicationName: 'app' },
        { maxConnections: 'maxOpen' },
      ),
    ).toEqual({ maxOpen: 7, acquireTimeoutMs: 250, applicationName: 'app' });
  });

  it('drops maxDatabases where the strategy serves one database, and renames it where it serves many', () => {
    expect(inOwnTerms({ maxDatabases: 3 }, { maxConnections: 'poolSize' })).toEqual({});
    expect(
      inOwnTerms(
        { maxConnections: 4, maxDatabases: 3 },
        { maxConnections: 'poolSize', maxDatabases: 'maxEngines' },
      ),
    ).toEqual({ poolSize: 4, maxEngines: 3 });
  });

  it("leaves a setting out when it was left out, so the strategy's own default applies", () => {
    const own = inOwnTerms({}, { maxConnections: 'poolSize', maxDatabases: 'maxEngines' });
    expect(Object.keys(own)).toEqual([]);
  });
});
