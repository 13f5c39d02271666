/** PostgreSQL's `integer` ends here; a bigger id cannot exist, and would fail the query as out of range. */
const MAX_ID = 2_147_483_647;

/** A path or body id that could name a row: an integer in 1..2^31-1, else undefined. */
export function rowId(raw: unknown): number | undefined {
  const value = typeof raw === 'string' && /^\d{1,10}$/.test(raw) ? Number(raw) : raw;
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_ID
    ? value
    : undefined;
}
