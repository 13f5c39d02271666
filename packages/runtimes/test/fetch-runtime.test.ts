import { describe, expect, it } from 'vitest';
import { runtimeCacheDir } from '../src/cache-dir.js';
import { compareVersions, platformPackage } from '../src/fetch-runtime.js';

describe('the runtime a major resolves to', () => {
  it('orders releases by their numbers, so 24.22 is newer than 24.9', () => {
    expect(['24.9.0', '24.22.3', '24.10.1', '24.22.0'].sort(compareVersions)).toEqual([
      '24.9.0',
      '24.10.1',
      '24.22.0',
      '24.22.3',
    ]);
  });

  it("is fetched as this platform's package of the node binary", () => {
    expect(platformPackage()).toBe(`node-${process.platform}-${process.arch}`);
  });

  it('is kept in the user cache, or where LIFETIMES_RUNTIMES_CACHE says', () => {
    expect(runtimeCacheDir({ HOME: '/home/a', XDG_CACHE_HOME: '/var/cache/a' })).toBe(
      '/var/cache/a/connection-lifetimes/runtimes',
    );
    expect(runtimeCacheDir({ LIFETIMES_RUNTIMES_CACHE: '/srv/runtimes' })).toBe('/srv/runtimes');
  });
});
