import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  backends,
  createScratchDatabase,
  createTempDir,
  type ScratchDatabase,
  type TempDir,
} from '@lifetimes/databases';
import type {} from '@lifetimes/databases/vitest-setup';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { buildPackages } from '../src/build-packages.js';
import { startExampleApp } from '../src/example-app.js';
import { fetchJson } from '../src/fetch-json.js';
import {
  CURRENT_MAJORS,
  createOutsideProject,
  type OutsideProject,
  takesCurrentMajors,
} from '../src/outside-project.js';
import { packPackages } from '../src/pack-packages.js';
import { readmeExample } from '../src/readme-example.js';
import {
  entryPoints,
  installablePackages,
  installedVersion,
  REPOSITORY,
  readManifest,
} from '../src/repository.js';
import { runCommand } from '../src/run-command.js';
import { writeTypeConsumer } from '../src/type-consumer.js';
import { undeclaredImports } from '../src/undeclared-imports.js';

const PACKAGES = installablePackages();
const NAMES = PACKAGES.map(({ manifest }) => manifest.name);
const ENTRIES = PACKAGES.flatMap(({ manifest }) => entryPoints(manifest));

/** Teardown runs on the response's `close`, after the client has its answer: waited for. */
const SETTLE = { timeout: 5000, interval: 50 };

let tarballs: TempDir;
let packed: string[];
let project: OutsideProject;
let sqlite: TempDir;

beforeAll(async () => {
  tarballs = await createTempDir('lifetimes-tarballs');
  await buildPackages(PACKAGES);
  packed = await packPackages(PACKAGES, tarballs.path);
  project = await createOutsideProject(packed);
  sqlite = await createTempDir('lifetimes-outside-sqlite');
});

afterAll(async () => {
  await project?.remove();
  await tarballs?.remove();
  await sqlite?.remove();
});

describe('the packed packages, installed in a project outside the monorepo', () => {
  it('installs every library package, each with its dist/ and README and no sources', () => {
    expect([...NAMES].sort()).toEqual([
      '@lifetimes/baseline',
      '@lifetimes/core',
      '@lifetimes/per-query',
      '@lifetimes/per-request',
      '@lifetimes/pooled-registry',
      '@lifetimes/scoped-session',
      '@lifetimes/tenants',
    ]);
    for (const name of NAMES) {
      const installed = join(project.path, 'node_modules', name);
      expect(existsSync(join(installed, 'dist', 'index.js')), name).toBe(true);
      expect(existsSync(join(installed, 'dist', 'index.d.ts')), name).toBe(true);
      // CHANGELOG.md too, once a release has written one.
      const files = readdirSync(installed).filter((file) => file !== 'CHANGELOG.md');
      expect(files.sort(), name).toEqual(['README.md', 'dist', 'package.json']);
    }
  });

  it(`installs beside them ${takesCurrentMajors() ? 'kysely 0.29 and better-sqlite3 13, the majors a user on this Node takes' : 'kysely and better-sqlite3 as the monorepo tests them (their current majors need Node 22)'}`, () => {
    for (const [name, major] of Object.entries(CURRENT_MAJORS)) {
      const { version } = readManifest(join(project.path, 'node_modules', name));
      const prefix = version.split('.').slice(0, major.split('.').length).join('.');
      if (takesCurrentMajors()) expect(prefix, `${name} ${version}`).toBe(major);
      else expect(version, name).toBe(installedVersion(name));
    }
  });

  it('imports, in its JavaScript and its declarations, only packages it declares', () => {
    const undeclared = NAMES.flatMap((name) =>
      undeclaredImports(join(project.path, 'node_modules', name)),
    );
    expect(undeclared).toEqual([]);
  });

  it('loads every entry point under plain node, route code and strategy authors apart', async () => {
    expect(ENTRIES).toContain('@lifetimes/core/authoring');
    const loads = ENTRIES.map((entry) => `Object.keys(await import('${entry}')).length`);
    const counts = await runCommand(
      process.execPath,
      ['--input-type=module', '-e', `console.log(JSON.stringify([${loads.join(', ')}]))`],
      project.path,
    );
    const exported = JSON.parse(counts) as number[];
    expect(
      exported.every((count) => count > 0),
      `${ENTRIES.join(' ')}: ${counts}`,
    ).toBe(true);
  });

  it("gives a TypeScript user every exported type, checked with the packages' .d.ts", async () => {
    const tsconfig = writeTypeConsumer(project.path, ENTRIES);
    const tsc = join(REPOSITORY, 'node_modules', 'typescript', 'bin', 'tsc');
    await runCommand(process.execPath, [tsc, '--noEmit', '-p', tsconfig], project.path);
  });
});

/** Saves a package's README example where a user would, as a file of their project. */
function saveExample(packageName: string, path: string): void {
  const example = readmeExample(join(REPOSITORY, 'packages', packageName));
  if (example === undefined) throw new Error(`packages/${packageName}/README.md shows no example`);
  writeFileSync(path, example);
}

interface Whoami {
  readonly connections: [string, string];
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

/**
 * Starts an example with plain node, sends it `requests`, then requires it
 * drained: no scope open and no connection borrowed, and, where connections
 * close per request, none left open in the app or on the server. Stopped,
 * it exits 0 and leaves no backend behind.
 */
async function runExample(
  file: string,
  databaseUrl: string,
  countBackends: () => Promise<number>,
  closesPerRequest: boolean,
  requests: (url: string) => Promise<void>,
): Promise<void> {
  const app = await startExampleApp(project.path, file, databaseUrl);
  try {
    await requests(app.url);
    await vi.waitFor(async () => {
      const stats = await fetchJson<Record<string, number>>(`${app.url}/stats`);
      expect(stats).toMatchObject({ active: 0, scopesOpen: 0 });
      if (closesPerRequest) expect(stats.opened).toBe(stats.closed);
      if (closesPerRequest) expect(await countBackends()).toBe(0);
    }, SETTLE);
  } finally {
    const code = await app.stop();
    expect(code, app.output()).toBe(0);
  }
  await vi.waitFor(async () => expect(await countBackends()).toBe(0), SETTLE);
}

describe.each(EXAMPLES)(
  '$strategy README example under plain node',
  ({ strategy, sameInRequest, closesPerRequest }) => {
    const file = `${strategy}-express.mjs`;
    beforeAll(() => {
      saveExample(strategy, join(project.path, file));
    });

    function exercise(databaseUrl: string, countBackends: () => Promise<number>): Promise<void> {
      return runExample(file, databaseUrl, countBackends, closesPerRequest, async (url) => {
        const post = () => fetchJson<{ visits: number }>(`${url}/visits`, { method: 'POST' });
        expect(await post()).toEqual({ visits: 1 });
        expect(await post()).toEqual({ visits: 2 });

        const first = await fetchJson<Whoami>(`${url}/whoami`);
        const second = await fetchJson<Whoami>(`${url}/whoami`);
        // Both queries of one request on one connection, or on two for per-query.
        for (const { connections } of [first, second]) {
          if (sameInRequest === undefined) continue;
          expect(connections[0] === connections[1], connections.join(' ')).toBe(sameInRequest);
        }
        // The first request's connections were closed: the next request's are new.
        if (closesPerRequest) expect(second.connections).not.toContain(first.connections[1]);
      });
    }

    it('on SQLite', async () => {
      await exercise(sqlite.sqliteUrl(`${strategy}.db`), async () => 0);
    });

    it('on PostgreSQL, a scratch database', async () => {
      const adminUrl = inject('pgAdminUrl');
      const scratch: ScratchDatabase = await createScratchDatabase(adminUrl, 'lifetimes_outside');
      try {
        await exercise(
          scratch.url,
          async () => (await backends(adminUrl, { database: scratch.name })).length,
        );
      } finally {
        await scratch.drop();
      }
    });
  },
);

describe('tenants README example under plain node', () => {
  const file = 'tenants-express.mjs';
  beforeAll(() => {
    saveExample('tenants', join(project.path, file));
  });

  function exercise(databaseUrl: string, countBackends: () => Promise<number>): Promise<void> {
    return runExample(file, databaseUrl, countBackends, true, async (url) => {
      const provision = (id: string) => fetch(`${url}/tenants/${id}`, { method: 'POST' });
      const visit = (tenant?: string) =>
        fetch(`${url}/visits`, {
          method: 'POST',
          headers: tenant === undefined ? {} : { 'x-tenant': tenant },
        });
      expect((await provision('acme')).status).toBe(201);
      expect((await provision('acme')).status).toBe(409);
      // Each tenant counts its own visits, in its own database.
      expect(await (await visit('acme')).json()).toEqual({ visits: 1 });
      expect(await (await visit('acme')).json()).toEqual({ visits: 2 });
      expect(await (await visit()).json()).toEqual({ visits: 1 });
      expect((await visit('nobody')).status).toBe(404);
      expect((await visit('Not a tenant!')).status).toBe(400);

      const { connections } = await fetchJson<Whoami>(`${url}/whoami`, {
        headers: { 'x-tenant': 'acme' },
      });
      expect(connections[0]).toBe(connections[1]);
    });
  }

  it('on SQLite', async () => {
    await exercise(sqlite.sqliteUrl('tenants.db'), async () => 0);
  });

  it('on PostgreSQL, a scratch database and a tenant database beside it', async () => {
    const adminUrl = inject('pgAdminUrl');
    const scratch: ScratchDatabase = await createScratchDatabase(adminUrl, 'lifetimes_outside');
    try {
      const onBoth = async () =>
        (await backends(adminUrl, { database: scratch.name })).length +
        (await backends(adminUrl, { database: `${scratch.name}__acme` })).length;
      await exercise(scratch.url, onBoth);
    } finally {
      await scratch.drop();
    }
  });
});

describe('a service on SQLite alone, with no pg installed', () => {
  let sqliteOnly: OutsideProject;
  const file = 'per-request-express.mjs';
  beforeAll(async () => {
    sqliteOnly = await createOutsideProject(packed, ['better-sqlite3']);
    saveExample('per-request', join(sqliteOnly.path, file));
  });
  afterAll(async () => {
    await sqliteOnly?.remove();
  });

  it('serves the per-request example: pg is loaded only for a postgres:// URL', async () => {
    expect(existsSync(join(sqliteOnly.path, 'node_modules', 'pg'))).toBe(false);
    const app = await startExampleApp(sqliteOnly.path, file, sqlite.sqliteUrl('alone.db'));
    try {
      expect(await fetchJson(`${app.url}/visits`, { method: 'POST' })).toEqual({ visits: 1 });
    } finally {
      expect(await app.stop(), app.output()).toBe(0);
    }
  });

  it('says which driver to install when a URL needs the missing one', async () => {
    await expect(
      startExampleApp(sqliteOnly.path, file, 'postgres://nobody@127.0.0.1:1/none'),
    ).rejects.toThrow(/The pg driver is not installed.*npm install pg/s);
  });
});
