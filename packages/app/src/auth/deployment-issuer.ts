import { createHash } from 'node:crypto';
import { parseDatabaseUrl } from '@lifetimes/core';

/**
 * A deployment's default token issuer: a digest of where its default database
 * is (host, port and database, or the SQLite file), never of its password.
 * Every worker and restart of one deployment agrees on it; two deployments
 * sharing an APP_SECRET do not. Hashed, because token payloads are readable.
 */
export function deploymentIssuer(databaseUrl: string): string {
  const target = parseDatabaseUrl(databaseUrl);
  let place: string;
  if (target.dialect === 'sqlite') {
    place = `sqlite:${target.file}`;
  } else {
    const url = new URL(target.url);
    place = `postgres://${url.hostname}:${url.port || '5432'}${url.pathname}`;
  }
  return createHash('sha256').update(place).digest('base64url').slice(0, 22);
}
