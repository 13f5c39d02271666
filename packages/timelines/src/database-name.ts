import { basename } from 'node:path';

/**
 * The name a database URL ends in: a PostgreSQL database or a SQLite file.
 * Engine events carry a redacted URL; comparing names, not whole URLs,
 * matches them whatever the redaction left out.
 */
export function databaseName(url: string): string {
  if (url.startsWith('sqlite:')) return basename(url.slice('sqlite:'.length).split('?')[0] ?? '');
  return decodeURIComponent(new URL(url).pathname.slice(1));
}
