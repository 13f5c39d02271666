import { existsSync, readFileSync } from 'node:fs';
import { copyFile, cp, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { execCommand } from './exec-command.js';
import type { NodeRuntime } from './node-runtime.js';

/** The install's better-sqlite3: its folder, its version, and the binary Node loads. */
export interface InstalledSqlite {
  readonly dir: string;
  readonly version: string;
  readonly binding: string;
}

export function installedSqlite(root: string): InstalledSqlite {
  const dir = join(root, 'node_modules', 'better-sqlite3');
  const binding = join(dir, 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(binding)) {
    throw new Error(
      `better-sqlite3 is not built in ${dir}. Run npm install at the repository root (it builds better-sqlite3), then run again.`,
    );
  }
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    version: string;
  };
  return { dir, version, binding };
}

/** Where the binary of this better-sqlite3 version for this ABI is kept. */
export function cachedBindingPath(cache: string, sqlite: InstalledSqlite, abi: string): string {
  return join(cache, `better-sqlite3-${sqlite.version}`, `abi-${abi}`, 'better_sqlite3.node');
}

/**
 * The better-sqlite3 binary for a runtime, built once from the installed
 * sources in a copy of the package (node_modules is left alone) against the
 * runtime's own headers: no prebuilt binaries are assumed reachable.
 */
export async function sqliteBindingFor(
  runtime: NodeRuntime,
  sqlite: InstalledSqlite,
  cache: string,
  log: (line: string) => void,
): Promise<string> {
  const target = cachedBindingPath(cache, sqlite, runtime.abi);
  if (existsSync(target)) return target;
  log(
    `Node ${runtime.major}: building better-sqlite3 ${sqlite.version} for it (ABI ${runtime.abi}; 2-3 minutes, once)`,
  );
  const work = await mkdtemp(join(tmpdir(), 'lifetimes-better-sqlite3-'));
  try {
    await cp(sqlite.dir, work, {
      recursive: true,
      filter: (source) => source !== join(sqlite.dir, 'build'),
    });
    const node = join(runtime.binDir, 'node');
    const built = join(work, 'build', 'Release', 'better_sqlite3.node');
    try {
      await execCommand(node, [nodeGyp(), 'rebuild', '--release'], {
        cwd: work,
        env: {
          ...process.env,
          PATH: `${runtime.binDir}${delimiter}${process.env.PATH}`,
          // npm hands its own nodedir setting (often the machine's /usr) to
          // the scripts it runs, and node-gyp takes it over --nodedir.
          npm_config_nodedir: runtime.home,
        },
      });
      // Loaded once under the runtime before it is cached: a binary built
      // against the wrong headers is refused here, not in every suite.
      await execCommand(node, ['-e', 'process.dlopen({ exports: {} }, process.argv[1])', built]);
    } catch (error) {
      throw new Error(
        `Building better-sqlite3 for Node ${runtime.version} failed. It builds from source with node-gyp, ` +
          `which needs Python 3, make and a C++ compiler (Debian: apt-get install -y python3 build-essential).\n${(error as Error).message}`,
      );
    }
    await mkdir(dirname(target), { recursive: true });
    await copyFile(built, `${target}.partial`);
    await rename(`${target}.partial`, target);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return target;
}

/** npm tells the scripts it runs where its own node-gyp is. */
function nodeGyp(): string {
  const path = process.env.npm_config_node_gyp;
  if (path && existsSync(path)) return path;
  throw new Error(
    'Cannot find node-gyp, which comes with npm. Run this through npm (npm run test:runtimes -- 24), which tells its scripts where it is.',
  );
}
