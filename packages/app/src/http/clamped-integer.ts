/**
 * TechEmpower's parameter rule: a value that is not a plain integer (missing,
 * `foo`, `2.5`, repeated) means `fallback`; an integer is clamped into
 * [min, max]. Never an error: the benchmark sends odd values on purpose.
 */
export function clampedInteger(raw: unknown, min: number, max: number, fallback: number): number {
  if (typeof raw !== 'string' || !/^[+-]?\d+$/.test(raw)) return fallback;
  return Math.min(max, Math.max(min, Number(raw)));
}
