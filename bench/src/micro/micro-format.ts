/** How the micro layer's reports name each driver. */
export const DRIVER_TITLES: Readonly<Record<string, string>> = {
  sqlite: 'SQLite',
  postgres: 'PostgreSQL',
};

/** µs with three significant figures or so; "n/a" for a figure not measured. */
export function formatUs(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** Promises per op: whole when the count came out whole, else one decimal; "n/a" when not counted (runs before the count). */
export function formatPromises(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return 'n/a';
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
