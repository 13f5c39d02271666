import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { outsideEnv } from './outside-env.js';
import { installedVersion, REPOSITORY } from './repository.js';
import { runCommand } from './run-command.js';

export type Driver = 'better-sqlite3' | 'pg';

/** What a user installs beside the packages: express, kysely, the drivers and their types. */
function beside(drivers: readonly Driver[]): string[] {
  return [
    'express',
    'kysely',
    '@types/express',
    '@types/node',
    ...drivers.flatMap((driver) => [driver, `@types/${driver}`]),
  ];
}

/** A plain Node project in the system temp folder, far from the monorepo's node_modules. */
export interface OutsideProject extends AsyncDisposable {
  readonly path: string;
  remove(): Promise<void>;
}

/**
 * Creates the project and installs the tarballs into it as a user would,
 * with the drivers named (both by default), from npm's cache where it can, each third-party package at the version the
 * monorepo tests. `--ignore-scripts`: better-sqlite3's install script would
 * compile it from source for minutes; the monorepo's compiled addon, built
 * for this same Node, is copied in its place.
 */
export async function createOutsideProject(
  tarballs: readonly string[],
  drivers: readonly Driver[] = ['better-sqlite3', 'pg'],
): Promise<OutsideProject> {
  const path = await mkdtemp(join(tmpdir(), 'lifetimes-outside-'));
  const remove = () => rm(path, { recursive: true, force: true });
  try {
    writeFileSync(
      join(path, 'package.json'),
      `${JSON.stringify({ name: 'outside', private: true, type: 'module' }, null, 2)}\n`,
    );
    await runCommand(
      'npm',
      [
        'install',
        '--ignore-scripts',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        ...tarballs,
        ...beside(drivers).map((name) => `${name}@${installedVersion(name)}`),
      ],
      path,
      outsideEnv(),
    );
    if (drivers.includes('better-sqlite3')) {
      const addon = join('build', 'Release', 'better_sqlite3.node');
      mkdirSync(join(path, 'node_modules', 'better-sqlite3', 'build', 'Release'), {
        recursive: true,
      });
      copyFileSync(
        join(REPOSITORY, 'node_modules', 'better-sqlite3', addon),
        join(path, 'node_modules', 'better-sqlite3', addon),
      );
    }
  } catch (error) {
    await remove();
    throw error;
  }
  return { path, remove, [Symbol.asyncDispose]: remove };
}
