import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A directory for SQLite files that exists for one test file or run. */
export interface TempDir extends AsyncDisposable {
  readonly path: string;
  /** A `sqlite:` URL for a file named `name` in this directory. */
  sqliteUrl(name: string): string;
  remove(): Promise<void>;
}

export async function createTempDir(prefix = 'lifetimes'): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), `${prefix}-`));
  const remove = () => rm(path, { recursive: true, force: true });
  return {
    path,
    sqliteUrl: (name) => `sqlite:${join(path, name)}`,
    remove,
    [Symbol.asyncDispose]: remove,
  };
}
