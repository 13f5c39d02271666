import { join } from 'node:path';
import { REPOSITORY, type WorkspacePackage } from './repository.js';
import { runCommand } from './run-command.js';

/** Builds the packages' dist/ with turbo: their workspace dependencies first, a cached build replayed. */
export async function buildPackages(packages: readonly WorkspacePackage[]): Promise<void> {
  await runCommand(
    join(REPOSITORY, 'node_modules', '.bin', 'turbo'),
    [
      'run',
      'build',
      '--output-logs=errors-only',
      ...packages.map(({ manifest }) => `--filter=${manifest.name}`),
    ],
    REPOSITORY,
  );
}
