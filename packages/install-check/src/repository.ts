import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo's root folder. */
export const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));

/** What a package.json says that the checks read. */
export interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly files?: readonly string[];
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly exports?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export interface WorkspacePackage {
  readonly dir: string;
  readonly manifest: Manifest;
}

export function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
}

/** The packages a user can install: every one under packages/ that is not private. */
export function installablePackages(): WorkspacePackage[] {
  const packages = join(REPOSITORY, 'packages');
  return readdirSync(packages)
    .map((name) => join(packages, name))
    .map((dir) => ({ dir, manifest: readManifest(dir) }))
    .filter(({ manifest }) => manifest.private !== true);
}

/**
 * What a user can import from a package: its name, and each subpath whose
 * export ships built code (`@lifetimes/core/authoring`). Subpaths only the
 * monorepo resolves, from sources, are left out.
 */
export function entryPoints({ name, exports = {} }: Manifest): string[] {
  return Object.entries(exports)
    .filter(([, conditions]) => conditions.default !== undefined)
    .map(([subpath]) => (subpath === '.' ? name : `${name}/${subpath.slice(2)}`));
}

/** The version installed in the monorepo, so an install elsewhere finds it in npm's cache. */
export function installedVersion(name: string): string {
  return readManifest(join(REPOSITORY, 'node_modules', name)).version;
}
