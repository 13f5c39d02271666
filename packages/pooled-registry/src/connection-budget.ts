/**
 * Refuses a registry that could open more connections than the server
 * leaves it: every engine may fill its pool, so the worst case is
 * `maxEngines * poolSize`. Checked at construction, where the fix is a
 * config change, instead of at peak load as refused connections.
 */
export function checkConnectionBudget(maxEngines: number, poolSize: number, budget: number): void {
  for (const [name, value] of [
    ['maxEngines', maxEngines],
    ['poolSize', poolSize],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`pooled-registry: ${name} must be a whole number >= 1, got ${value}.`);
    }
  }
  const worst = maxEngines * poolSize;
  if (worst > budget) {
    throw new RangeError(
      `pooled-registry: maxEngines (${maxEngines}) * poolSize (${poolSize}) = ${worst} connections ` +
        `exceeds connectionBudget (${budget}). Lower maxEngines or poolSize, or raise ` +
        "connectionBudget to what the server leaves this process (PostgreSQL's max_connections " +
        'minus every other client).',
    );
  }
}
