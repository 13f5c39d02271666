import { resolve } from 'node:path';
import { BadDatabaseUrlError } from './errors.js';

export type DialectName = 'sqlite' | 'postgres';

/** Where a strategy's connections go: one SQLite file, or one PostgreSQL database. */
export type DatabaseTarget =
  | { readonly dialect: 'sqlite'; readonly url: string; readonly file: string }
  | { readonly dialect: 'postgres'; readonly url: string };

/**
 * Parses `sqlite:<path>` or `postgres://...` (also `postgresql://`). A SQLite
 * path is resolved against the working directory, so two strategies given
 * the same relative URL share one file. `:memory:` is refused: each
 * connection would get its own empty database, which silently breaks every
 * strategy that opens more than one connection.
 */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return { dialect: 'postgres', url };
  }
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path === '' || path.includes(':memory:') || path.includes('mode=memory')) {
      throw new BadDatabaseUrlError(url);
    }
    const file = resolve(path);
    return { dialect: 'sqlite', url: `sqlite:${file}`, file };
  }
  throw new BadDatabaseUrlError(url);
}
