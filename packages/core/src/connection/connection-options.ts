/** How every connection a strategy opens is set up. */
export interface ConnectionOptions {
  /**
   * PostgreSQL `application_name` of every connection, so the server can
   * count them (`pg_stat_activity`). Default: `lifetimes-<strategy>`.
   */
  readonly applicationName?: string;
  /**
   * SQLite: busy timeout and writer-gate wait. PostgreSQL: connect timeout.
   * Default 5000 ms; at 0 SQLite fails at the first contention.
   */
  readonly connectTimeoutMs?: number;
}
