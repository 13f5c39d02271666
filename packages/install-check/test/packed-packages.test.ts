import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  createScratchDatabase,
  createTempDir,
  type ScratchDatabase,
  type TempDir,
} from '@lifetimes/databases';
import type {} from '@lifetimes/databases/vitest-setup';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildAndPack } from '../src/build-and-pack.js';
import { startExampleApp } from '../src/example-app.js';
import { createOutsideProject, type OutsideProject } from '../src/outside-project.js';
import { installablePackages, REPOSITORY } from '../src/repository.js';
import { runCommand } from '../src/run-command.js';
import { writeTypeConsumer } from '../src/type-consumer.js';
import { undeclaredImports } from '../src/undeclared-imports.js';

const PACKAGES = installablePackages();
const NAMES = PACKAGES.map(({ manifest }) => manifest.name);

let tarballs: TempDir;
let project: OutsideProject;
let sqlite: TempDir;

beforeAll(async () => {
  tarballs = await createTempDir('lifetimes-tarballs');
  project = await createOutsideProject(await buildAndPack(PACKAGES, tarballs.path));
  sqlite = await createTempDir('lifetimes-outside-sqlite');
});

afterAll(async () => {
  await project?.remove();
  await tarballs?.remove();
  await sqlite?.remove();
});

describe('the packed packages, installed in a project outside the monorepo', () => {
  it('installs every library package, each with its dist/ and README and no sources', () => {
    expect(NAMES).toEqual(
      expect.arrayContaining([
        '@lifetimes/core',
        '@lifetimes/per-request',
        '@lifetimes/scoped-session',
      ]),
    );
    for (const name of NAMES) {
      const installed = join(project.path, 'node_modules', name);
      expect(existsSync(join(installed, 'dist', 'index.js')), name).toBe(true);
      expect(existsSync(join(installed, 'dist', 'index.d.ts')), name).toBe(true);
      expect(readdirSync(installed).sort(), name).toEqual(['README.md', 'dist', 'package.json']);
    }
  });

  it('imports, in its JavaScript and its declarations, only packages it declares', () => {
    const undeclared = NAMES.flatMap((name) =>
      undeclaredImports(join(project.path, 'node_modules', name)),
    );
    expect(undeclared).toEqual([]);
  });

  it("gives a TypeScript user every exported type, checked with the packages' .d.ts", async () => {
    const tsconfig = writeTypeConsumer(project.path, NAMES);
    const tsc = join(REPOSITORY, 'node_modules', 'typescript', 'bin', 'tsc');
    await runCommand(process.execPath, [tsc, '--noEmit', '-p', tsconfig], project.path);
  });
});

interface Whoami {
  readonly connections: [string, string];
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

async function eventually(check: () => Promise<void>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

async function backendsOn(adminUrl: string, database: string): Promise<number> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      'select count(*) as n from pg_stat_activity where datname = $1',
      [database],
    );
    return Number(rows[0]?.n);
  } finally {
    await client.end();
  }
}

/**
 * What each strategy's example must show. `sameInRequest`: both queries of
 * one request ran on one connection (undefined: the strategy promises
 * nothing, as baseline's pool on PostgreSQL). `closesPerRequest`: nothing
 * stays open between requests, and the next request gets new connections.
 */
const EXAMPLES: readonly {
  strategy: string;
  sameInRequest: boolean | undefined;
  closesPerRequest: boolean;
}[] = [
  { strategy: 'per-request', sameInRequest: true, closesPerRequest: true },
  { strategy: 'scoped-session', sameInRequest: true, closesPerRequest: false },
  { strategy: 'pooled-registry', sameInRequest: true, closesPerRequest: false },
  { strategy: 'per-query', sameInRequest: false, closesPerRequest: true },
  { strategy: 'baseline', sameInRequest: undefined, closesPerRequest: false },
];

describe.each(EXAMPLES)(
  '$strategy README example under plain node',
  ({ strategy, sameInRequest, closesPerRequest }) => {
    const file = `${strategy}-express.mjs`;
    beforeAll(() => {
      copyFileSync(
        join(REPOSITORY, 'packages', strategy, 'examples', 'express.mjs'),
        join(project.path, file),
      );
    });

    async function exercise(databaseUrl: string, backends: () => Promise<number>): Promise<void> {
      const app = await startExampleApp(project.path, file, databaseUrl);
      try {
        const post = () => json<{ visits: number }>(`${app.url}/visits`, { method: 'POST' });
        expect(await post()).toEqual({ visits: 1 });
        expect(await post()).toEqual({ visits: 2 });

        const first = await json<Whoami>(`${app.url}/whoami`);
        const second = await json<Whoami>(`${app.url}/whoami`);
        // Both queries of one request on one connection, or on two for per-query.
        for (const { connections } of [first, second]) {
          if (sameInRequest === undefined) continue;
          expect(connections[0] === connections[1], connections.join(' ')).toBe(sameInRequest);
        }
        // The first request's connections were closed: the next request's are new.
        if (closesPerRequest) expect(second.connections).not.toContain(first.connections[1]);

        // Nothing held once the requests are over: no scope open, no connection
        // borrowed, and a strategy that closes per request keeps none open.
        await eventually(async () => {
          const stats = await json<Record<string, number>>(`${app.url}/stats`);
          expect(stats).toMatchObject({ active: 0, scopesOpen: 0 });
          if (closesPerRequest) expect(stats.opened).toBe(stats.closed);
          if (closesPerRequest) expect(await backends()).toBe(0);
        });
      } finally {
        const code = await app.stop();
        expect(code, app.output()).toBe(0);
      }
      // Stopped: every connection it opened is closed on the server too.
      await eventually(async () => expect(await backends()).toBe(0));
    }

    it('on SQLite', async () => {
      await exercise(sqlite.sqliteUrl(`${strategy}.db`), async () => 0);
    });

    it('on PostgreSQL, a scratch database', async () => {
      const adminUrl = inject('pgAdminUrl');
      const scratch: ScratchDatabase = await createScratchDatabase(adminUrl, 'lifetimes_outside');
      try {
        await exercise(scratch.url, () => backendsOn(adminUrl, scratch.name));
      } finally {
        await scratch.drop();
      }
    });
  },
);
