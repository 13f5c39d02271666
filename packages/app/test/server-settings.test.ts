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
      liveView: false,
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
        LIVE_VIEW: '1',
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
      liveView: true,
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

  it.each(['yes', 'true', '2'])('refuses LIVE_VIEW=%s, saying what it takes', (value) => {
    expect(() => readServerSettings({ LIVE_VIEW: value })).toThrow(
      `LIVE_VIEW must be 1 (on) or 0 (off), not "${value}": fix or unset it.`,
    );
  });

  it('reads LIVE_VIEW=0 as off', () => {
    expect(readServerSettings({ LIVE_VIEW: '0' }).liveView).toBe(false);
  });
});
