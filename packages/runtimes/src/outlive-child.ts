import type { ChildProcess } from 'node:child_process';

/** How a child started under another runtime ended. */
export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * Waits for `child`, which runs with another runtime's better-sqlite3 in
 * node_modules, and keeps this process alive until it has ended, so the
 * caller can put the machine's binary back: Ctrl-C already reaches the
 * child (same process group), a SIGTERM sent to this process alone is
 * passed on.
 */
export function outliveChild(child: ChildProcess): Promise<ChildExit> {
  const wait = () => {};
  const forward = () => child.kill('SIGTERM');
  process.on('SIGINT', wait);
  process.on('SIGTERM', forward);
  return new Promise((resolve, reject) => {
    const done = () => {
      process.off('SIGINT', wait);
      process.off('SIGTERM', forward);
    };
    child.on('error', (error) => {
      done();
      reject(error);
    });
    child.on('exit', (code, signal) => {
      done();
      resolve({ code, signal });
    });
  });
}
