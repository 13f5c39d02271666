import { join } from 'node:path';
import { REPOSITORY, type WorkspacePackage } from './repository.js';
import { runCommand } from './run-command.js';

/** Packs each built package into `destination` exactly as `npm publish` would; returns the tarballs' paths. */
export async function packPackages(
  packages: readonly WorkspacePackage[],
  destination: string,
): Promise<string[]> {
  const packed = await runCommand(
    'npm',
    [
      'pack',
      '--json',
      `--pack-destination=${destination}`,
      ...packages.map(({ manifest }) => `--workspace=${manifest.name}`),
    ],
    REPOSITORY,
  );
  const tarballs = JSON.parse(packed) as { filename: string }[];
  return tarballs.map(({ filename }) => join(destination, filename));
}
