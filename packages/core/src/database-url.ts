import { resolve } from 'node:path';
import { BadDatabaseUrlError } from './errors.js';

export type DialectName = 'sqlite' | 'postgres';

/** Where a strategy's connections go: one SQLite file, or one PostgreSQL database. */
export type DatabaseTarget =
  | {
      readonly dialect: 'sqlite';
      readonly url: string;
      readonly file: string;
      /**
       * A size quota: every connection sets `PRAGMA max_page_count` to it, so
       * a write that would grow the file past it fails with SQLITE_FULL.
       */
      readonly maxPageCount?: number;
    }
  | { readonly dialect: 'postgres'; readonly url: string };

const SQLITE_PARAMETERS = 'the one parameter a SQLite URL takes is max_page_count=<pages>';

/**
 * Parses `sqlite:<path>[?max_page_count=<pages>]` or `postgres://...` (also
 * `postgresql://`). A SQLite path is resolved against the working directory,
 * so two strategies given the same relative URL share one file. `:memory:`
 * is refused: each connection would get its own empty database, which
 * silently breaks every strategy that opens more than one connection.
 */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return { dialect: 'postgres', url };
  }
  if (url.startsWith('sqlite:')) {
    const [path = '', query] = url.slice('sqlite:'.length).split('?', 2);
    if (path === '' || url.includes(':memory:') || url.includes('mode=memory')) {
      throw new BadDatabaseUrlError(url);
    }
    const file = resolve(path);
    if (query === undefined) return { dialect: 'sqlite', url: `sqlite:${file}`, file };
    return {
      dialect: 'sqlite',
      url: `sqlite:${file}?${query}`,
      file,
      maxPageCount: maxPageCountOf(url, query),
    };
  }
  throw new BadDatabaseUrlError(url);
}

function maxPageCountOf(url: string, query: string): number {
  const parameters = new URLSearchParams(query);
  const unknown = [...parameters.keys()].filter((name) => name !== 'max_page_count');
  if (unknown.length > 0) {
    throw new BadDatabaseUrlError(url, `${unknown.join(', ')} is not known: ${SQLITE_PARAMETERS}`);
  }
  const raw = parameters.get('max_page_count') ?? '';
  if (!/^[1-9]\d{0,9}$/.test(raw) || Number(raw) > 4_294_967_294) {
    throw new BadDatabaseUrlError(
      url,
      `max_page_count must be a whole number of pages from 1 to 4294967294, not "${raw}"`,
    );
  }
  return Number(raw);
}
