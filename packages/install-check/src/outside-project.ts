import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { outsideEnv } from './outside-env.js';
import { installedVersion, REPOSITORY } from './repository.js';
import { runCommand } from './run-command.js';

export type Driver = 'better-sqlite3' | 'pg';

/**
 * The majors a user starting today installs, which need Node 22: the
 * packages' peer ranges must take them. On Node 20 they do not run (kysely
 * 0.29 refuses it, better-sqlite3 13 crashes), so there the install takes
 * the versions the monorepo itself is tested with.
 */
export const CURRENT_MAJORS: Readonly<Record<string, string>> = {
  kysely: '0.29',
  'better-sqlite3': '13',
};

/** Whether this Node installs CURRENT_MAJORS. */
export function takesCurrentMajors(
  nodeMajor = Number(process.versions.node.split('.')[0]),
): boolean {
  return nodeMajor >= 22;
}

/** What a user installs beside the packages: express, kysely, the drivers and their types. */
function beside(drivers: readonly Driver[]): string[] {
  const names = [
    'express',
    'kysely',
    '@types/express',
    '@types/node',
    ...drivers.flatMap((driver) => [driver, `@types/${driver}`]),
  ];
  return names.map((name) => {
    const current = CURRENT_MAJORS[name];
    return current && takesCurrentMajors()
      ? `${name}@~${current}`
      : `${name}@${installedVersion(name)}`;
  });
}

/** A plain Node project in the system temp folder, far from the monorepo's node_modules. */
export interface OutsideProject extends AsyncDisposable {
  readonly path: string;
  remove(): Promise<void>;
}

/**
 * Creates the project and installs the tarballs into it as a user would,
 * with the drivers named (both by default), from npm's cache where it can,
 * each third-party package at the version the monorepo tests, or at its
 * current major where this Node takes one. `--ignore-scripts`:
 * better-sqlite3 12's install script would compile it from source for
 * minutes each time (see placeSqliteAddon).
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
        ...beside(drivers),
      ],
      path,
      outsideEnv(),
    );
    if (drivers.includes('better-sqlite3')) placeSqliteAddon(path);
  } catch (error) {
    await remove();
    throw error;
  }
  return { path, remove, [Symbol.asyncDispose]: remove };
}

/**
 * better-sqlite3 12 compiles its addon in the install script that
 * `--ignore-scripts` skipped: the monorepo's, built for this same Node and
 * version, is copied in. From 13 the package carries N-API binaries for the
 * common platforms and has no install script, so the project runs as
 * installed, as a user's does.
 */
function placeSqliteAddon(project: string): void {
  const dir = join(project, 'node_modules', 'better-sqlite3');
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    version: string;
  };
  if (existsSync(join(dir, 'prebuilds'))) return;
  const monorepo = installedVersion('better-sqlite3');
  if (version !== monorepo) {
    throw new Error(
      `better-sqlite3 ${version} was installed outside the monorepo; it ships no prebuilt binaries and is not the monorepo's ${monorepo}, whose compiled addon could stand in. Install the monorepo's version beside the packages instead.`,
    );
  }
  const addon = join('build', 'Release', 'better_sqlite3.node');
  mkdirSync(join(dir, 'build', 'Release'), { recursive: true });
  copyFileSync(join(REPOSITORY, 'node_modules', 'better-sqlite3', addon), join(dir, addon));
}
