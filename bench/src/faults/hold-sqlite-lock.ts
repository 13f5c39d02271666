import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { FROM_SOURCES } from '../shared/from-sources.js';

export interface LockHold {
  /** When the other process had the lock, performance.now() milliseconds. */
  readonly lockedAt: number;
  /** Resolves with the moment it let go. */
  readonly released: Promise<number>;
}

const HOLDER = fileURLToPath(new URL('./sqlite-lock-holder.ts', import.meta.url));

/** Starts another process that holds the write lock on `file` for `ms`; resolves once it holds it. */
export function holdSqliteLock(file: string, ms: number): Promise<LockHold> {
  const child = spawn(process.execPath, [...FROM_SOURCES, HOLDER, file, String(ms)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let lockedAt: number | undefined;
  let locked: (at: number) => void = () => {};
  const failure = () =>
    new Error(
      `The lock holder exited without letting go of the lock cleanly:\n${output.slice(-2000)}`,
    );
  const released = new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (lockedAt === undefined && output.includes('locked\n')) {
        lockedAt = performance.now();
        locked(lockedAt);
      }
      if (output.includes('released\n')) resolve(performance.now());
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('close', () => reject(failure()));
  });
  return new Promise((resolve, reject) => {
    locked = (at) => resolve({ lockedAt: at, released });
    released.catch(reject);
  });
}
