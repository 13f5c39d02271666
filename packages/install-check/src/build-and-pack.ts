import { join } from 'node:path';
import { REPOSITORY, type WorkspacePackage } from './repository.js';
import { runCommand } from './run-command.js';

/**
 * Builds the packages' dist/ with turbo (their workspace dependencies first,
 * a cached build replayed), then packs each into `destination` exactly as
 * `npm publish` would. Returns the tarballs' paths.
 */
export async function buildAndPack(
  packages: readonly WorkspacePackage[],
  destination: string,
): Promise<string[]> {
  const names = packages.map(({ manifest }) => manifest.name);
  await runCommand(
    join(REPOSITORY, 'node_modules', '.bin', 'turbo'),
    ['run', 'build', '--output-logs=errors-only', ...names.map((name) => `--filter=${name}`)],
    REPOSITORY,
  );
  const packed = await runCommand(
    'npm',
    [
      'pack',
      '--json',
      `--pack-destination=${destination}`,
      ...names.map((name) => `--workspace=${name}`),
    ],
    REPOSITORY,
  );
  const tarballs = JSON.parse(packed) as { filename: string }[];
  return tarballs.map(({ filename }) => join(destination, filename));
}
