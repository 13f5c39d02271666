import { describe, expect, it } from 'vitest';
import { readServerSettings } from '../src/server-settings.js';

describe('readServerSettings', () => {
  it('has a default for everything', () => {
    expect(readServerSettings({})).toEqual({
      port: 3000,
      databaseUrl: 'sqlite:./data/app.db',
      maxConnections: 10,
      acquireTimeoutMs: 5000,
      maxEngines: 10,
      secret: undefined,
      adminToken: undefined,
      maxTenants: 100,
      workers: 1,
    });
  });

  it('reads what is set', () => {
    expect(
      readServerSettings({
        PORT: '0',
        DATABASE_URL: 'postgres://u@h/db',
        MAX_CONNECTIONS: '3',
        ACQUIRE_TIMEOUT_MS: '250',
        MAX_ENGINES: '2',
        APP_SECRET: 's',
        ADMIN_TOKEN: 'a',
        MAX_TENANTS: '7',
        WORKERS: '4',
      }),
    ).toEqual({
      port: 0,
      databaseUrl: 'postgres://u@h/db',
      maxConnections: 3,
      acquireTimeoutMs: 250,
      maxEngines: 2,
      secret: 's',
      adminToken: 'a',
      maxTenants: 7,
      workers: 4,
    });
  });

  it.each([
    ['PORT', 'http'],
    ['PORT', '70000'],
    ['MAX_CONNECTIONS', '0'],
    ['ACQUIRE_TIMEOUT_MS', '-1'],
    ['MAX_ENGINES', '0'],
    ['MAX_TENANTS', '0'],
    ['WORKERS', '0'],
    ['WORKERS', '65'],
  ])('refuses %s=%s, naming the variable and the range', (name, value) => {
    expect(() => readServerSettings({ [name]: value })).toThrow(
      new RegExp(
        `^${name} must be an integer from \\d+ to \\d+, not "${value}": fix or unset it\\.$`,
      ),
    );
  });
});
