import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTempDir, type TempDir } from '@lifetimes/databases';
// Brings in the typing of what the global setup provides to inject().
import type {} from '@lifetimes/databases/vitest-setup';
import { PROFILE_NAMES } from '@lifetimes/strategies';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DRIVERS, drawTimelines, factsOf, STRATEGIES, type TimelineFacts } from '../src/index.js';

const COMMITTED = fileURLToPath(new URL('../../../docs/pictures', import.meta.url));

/**
 * What a picture is made of, without its timings: how many of each kind of
 * mark (rows, lanes, holds, waits, openings, queries, opens, closes, engine
 * marks, legend entries) and the text of every row and lane label. Ticks and
 * grid lines are left out: how many there are follows the run's length.
 */
function shapeOf(svg: string): { marks: Record<string, number>; labels: string[] } {
  const marks: Record<string, number> = {};
  for (const [, kind] of svg.matchAll(/ class="([a-z-]+)"/g)) {
    if (!kind || kind === 'tick' || kind === 'grid') continue;
    marks[kind] = (marks[kind] ?? 0) + 1;
  }
  const labels = [...svg.matchAll(/<text class="(?:row|lane)"[^>]*>(.*?)<\/text>/g)].map(
    (m) => m[1] ?? '',
  );
  return { marks, labels };
}

/** The count the course reads from the subtitle. */
function openedInSubtitle(svg: string): number | undefined {
  const found = /; (\d+) connection\(s\) opened\./.exec(svg);
  return found?.[1] === undefined ? undefined : Number(found[1]);
}

describe('drawTimelines', () => {
  let dir: TempDir;
  let files: string[];
  const fresh = (name: string) => readFileSync(join(dir.path, name), 'utf8');
  const factsFor = (strategy: string, driver: string): TimelineFacts => {
    const facts = factsOf(fresh(`timeline-${strategy}-${driver}.svg`));
    if (!facts) throw new Error(`timeline-${strategy}-${driver}.svg embeds no facts`);
    return facts;
  };

  beforeAll(async () => {
    dir = await createTempDir('lifetimes-timelines-test');
    files = await drawTimelines(dir.path, { pgAdminUrl: inject('pgAdminUrl') });
  });
  afterAll(() => dir?.remove());

  it('draws one picture per strategy profile and driver, PostgreSQL first', () => {
    expect(STRATEGIES.map((s) => s.name)).toEqual(PROFILE_NAMES);
    expect(files.map((f) => basename(f))).toEqual(
      DRIVERS.flatMap((driver) => STRATEGIES.map((s) => `timeline-${s.name}-${driver}.svg`)),
    );
    for (const file of files) {
      const svg = readFileSync(file, 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg).toContain('GET /health (no query)');
      expect(openedInSubtitle(svg)).toBe(factsOf(svg)?.opened);
    }
  });

  // Every fact asserted here holds by construction, whatever the machine's
  // speed: the burst sends four requests at once to a cap of two, each
  // holding its connection across a 10 ms timer, so two wait; the mixed
  // requests never hold more than two connections at once (/queries arrives
  // only after /transfer has answered); an evicted engine keeps its slot
  // until its pool has closed, which is never synchronous, so the engine
  // made in its place always waits for that slot. Durations and which
  // pooled connection serves which request are left alone: they vary per run.
  describe.each(DRIVERS)('on %s, the lifetime shows', (driver) => {
    it('per-query: one connection per query, except the queries inside a transaction', () => {
      // /slow 2 queries, /transfer 1 transaction + 1 query, /queries 3, four
      // /report transactions: eleven holds, each on a connection of its own.
      expect(factsFor('per-query', driver)).toMatchObject({
        opened: 11,
        lanes: 11,
        holds: 11,
        waits: 2,
      });
    });

    it('per-request: one connection per request that queries', () => {
      // Eight requests, of which /health never queries.
      expect(factsFor('per-request', driver)).toMatchObject({
        opened: 7,
        lanes: 7,
        holds: 7,
        waits: 2,
      });
    });

    it('scoped-session: a pool of two serves all seven, reusing its connections', () => {
      expect(factsFor('scoped-session', driver)).toMatchObject({
        opened: 2,
        lanes: 2,
        holds: 7,
        waits: 2,
      });
    });

    it('baseline: a shared pool of two, or on SQLite one handle every query takes turns on', () => {
      const connections = driver === 'sqlite' ? 1 : 2;
      // One hold per query or transaction: it borrows per query, not per request.
      expect(factsFor('baseline', driver)).toMatchObject({
        opened: connections,
        lanes: connections,
        holds: 11,
        waits: 4 - connections,
      });
    });

    it('pooled-registry: one pool per database, the least recently used evicted and closed once drained', () => {
      // main's connection was opened before the run; north's and south's in it.
      // Three waits: /queries for the engine slot main keeps while it
      // drains, then two of the burst for south's pool of two.
      expect(factsFor('pooled-registry', driver)).toEqual({
        opened: 3,
        lanes: 4,
        holds: 7,
        waits: 3,
        evicted: 1,
        enginesClosed: 1,
        tenants: ['main', 'north', 'south', 'south'],
      });
    });
  });

  it('keeps the committed pictures current: each exists, has the shape and the facts a fresh run draws', () => {
    for (const file of files) {
      const name = basename(file);
      const committedFile = join(COMMITTED, name);
      expect(existsSync(committedFile), `docs/pictures/${name} is missing`).toBe(true);
      const committed = readFileSync(committedFile, 'utf8');
      const regenerated = fresh(name);
      expect(factsOf(committed), `docs/pictures/${name}: npm run pictures`).toEqual(
        factsOf(regenerated),
      );
      expect(shapeOf(committed), `docs/pictures/${name}: npm run pictures`).toEqual(
        shapeOf(regenerated),
      );
      expect(openedInSubtitle(committed)).toBe(factsOf(committed)?.opened);
    }
  });
});
