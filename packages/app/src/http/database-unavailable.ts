/**
 * PostgreSQL SQLSTATE classes and codes that mean the server, not the
 * request, failed: connection exceptions (08), insufficient resources (53:
 * too many connections, disk full), and shutdown or restart (57P01-57P03).
 */
const PG_UNAVAILABLE = /^(08|53|57P0[123])/;
/**
 * The server cancelled the statement on a clock of its own: statement_timeout
 * or an operator's pg_cancel_backend (57014), lock_timeout (55P03). The
 * request was not wrong: it can succeed once the load or the lock's holder is
 * gone, and the connection stays usable.
 */
const PG_CANCELLED = new Set(['57014', '55P03']);
/** Socket errors: the server is down, restarting, or the network between is. */
const SOCKET_UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
/** pg's own errors for a connection that ended or never came up; they carry no code. */
const PG_CLIENT_GONE =
  /^Connection terminated|not queryable|^timeout expired|^Connection terminated due to connection timeout/;

/**
 * Why the database could not serve a request that itself was fine, or
 * undefined for any other error. Such a request may well succeed when
 * retried, so it is a 503 with Retry-After, never a 500: a killed backend,
 * a restarting server, a refused connection, a statement the server
 * cancelled on its statement_timeout or lock_timeout, or SQLite's lock held
 * by another process past the busy timeout.
 */
export function databaseUnavailable(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : '';
  if (typeof code === 'string') {
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      return 'The database is locked by another writer for longer than the busy timeout';
    }
    if (code === 'SQLITE_FULL') {
      return 'The database or its disk is full: writes fail until space is freed or its max_page_count quota raised';
    }
    if (PG_CANCELLED.has(code)) {
      return `The database cancelled the query on a timeout of its own (${text || code})`;
    }
    if (PG_UNAVAILABLE.test(code) || SOCKET_UNAVAILABLE.has(code)) {
      return `The database is unavailable (${text || code})`;
    }
    return undefined;
  }
  if (PG_CLIENT_GONE.test(text)) return `The connection to the database was lost (${text})`;
  const cause = (error as { cause?: unknown }).cause;
  return cause === undefined ? undefined : databaseUnavailable(cause);
}
