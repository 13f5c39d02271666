import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root: the files of the catalogue are relative to it. */
export const REPOSITORY_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Refuses to run while a file the catalogue patches has uncommitted
 * changes: the run rewrites those files, and a change of yours among them
 * would be mixed into a mutation and its report. Only those files count,
 * so an `npm install` that touched the lock file does not stop CI.
 */
export function assertClean(root: string, files: readonly string[]): void {
  let status: string;
  try {
    status = execFileSync('git', ['status', '--porcelain', '--', ...files], {
      cwd: root,
      encoding: 'utf8',
    });
  } catch (error) {
    throw new Error(
      `Cannot ask git whether the files to mutate are clean (${(error as Error).message}). ` +
        'Run the mutations from a git clone of the repository with git on PATH.',
    );
  }
  const dirty = status
    .split('\n')
    .filter(Boolean)
    .map((line) => line.slice(3));
  if (dirty.length > 0) {
    throw new Error(
      `Uncommitted changes in ${dirty.join(', ')}, which the mutations rewrite. ` +
        'Commit or stash them (git stash), then run again.',
    );
  }
}
