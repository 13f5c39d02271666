import { readFileSync } from 'node:fs';
import { createTempDir, type TempDir } from '@lifetimes/databases';
import { PROFILE_NAMES } from '@lifetimes/strategies';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawTimelines, STRATEGIES } from '../src/index.js';

/** Connection holds drawn: the bars, not the white background. */
function bars(svg: string): string[] {
  return [...svg.matchAll(/<rect x="[\d.]+" [^>]*><title>([^<]+)<\/title>/g)].map(
    (m) => m[1] ?? '',
  );
}

describe('drawTimelines', () => {
  let dir: TempDir;
  let files: string[];
  beforeAll(async () => {
    dir = await createTempDir('lifetimes-timelines-test');
    files = await drawTimelines(dir.path);
  });
  afterAll(() => dir?.remove());

  it('regenerates one picture per strategy profile', () => {
    expect(STRATEGIES.map((s) => s.name)).toEqual(PROFILE_NAMES);
    expect(files.map((f) => f.slice(dir.path.length + 1))).toEqual(
      STRATEGIES.map((s) => `timeline-${s.name}.svg`),
    );
    for (const file of files) {
      const svg = readFileSync(file, 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg).toContain('GET /health (no query)');
    }
  });

  it('draws the lifetime: one hold per query for per-query, one per querying request for per-request', () => {
    const read = (name: string) =>
      readFileSync(files.find((f) => f.endsWith(`timeline-${name}.svg`)) ?? '', 'utf8');
    // /slow 2 queries, /transfer 1 transaction + 1 query, /queries 3: seven holds, seven connections.
    const perQuery = bars(read('per-query'));
    expect(perQuery).toHaveLength(7);
    expect(new Set(perQuery.map((b) => b.split(':')[0])).size).toBe(7);
    // Three requests query; /health never gets a connection.
    const perRequest = bars(read('per-request'));
    expect(perRequest).toHaveLength(3);
    expect(new Set(perRequest.map((b) => b.split(':')[0])).size).toBe(3);
    // A pool of two: the third querying request reuses one of them.
    const scoped = bars(read('scoped-session'));
    expect(scoped).toHaveLength(3);
    expect(new Set(scoped.map((b) => b.split(':')[0])).size).toBe(2);
  });
});
