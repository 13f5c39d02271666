import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { FROM_SOURCES } from '../../src/shared/from-sources.js';

const BENCH = fileURLToPath(new URL('../..', import.meta.url));

/** What a bench entry point printed, and how it exited. */
export interface EntryRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs one of the bench's entry points (`src/main.ts`, `src/faults/main.ts`,
 * `src/micro/main.ts`) from its sources, as `npm run` does from the bench's
 * folder. A non-zero exit is a result the test reads, not an error.
 */
export function runEntry(entry: string, args: readonly string[]): Promise<EntryRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...FROM_SOURCES, entry, ...args],
      { cwd: BENCH, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
