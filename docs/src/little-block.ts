import { PROFILES } from '@lifetimes/strategies';
import { type Results, rate } from './bench-cells.js';

/** The bench's settings for the `slow` rows: MAX_CONNECTIONS of every app, and the wait /slow holds. */
const POOL = 10;
const HELD_MS = 20;

/**
 * Little's law against the measured PostgreSQL `slow` rows: the pooled
 * strategies that hold their connection across the wait must stay under
 * POOL / HELD_MS; the one that releases it between queries need not. The
 * sentence says "under" or "above" from the data, so it cannot go stale.
 */
export function littleBlock(results: Results, linkPrefix: string): string {
  const bound = Math.round(POOL / (HELD_MS / 1000));
  const row = (strategy: string) =>
    results.cells.find(
      (c) => c.driver === 'postgres' && c.workload === 'slow' && c.strategy === strategy,
    );
  const side = (strategy: string) => {
    const cell = row(strategy);
    const value = cell?.requestsPerSec?.median;
    if (!cell || value === undefined) return `${strategy}: ${cell ? rate(cell) : 'not measured'}`;
    return `${strategy} ${rate(cell)} (${value <= bound ? 'under' : 'above'} it)`;
  };
  const pooled = PROFILES.filter((p) => p.pools);
  const holding = pooled.filter((p) => p.connectionPer === 'scope').map((p) => side(p.name));
  const releasing = pooled.filter((p) => p.connectionPer !== 'scope').map((p) => side(p.name));
  return [
    `Measured on PostgreSQL \`slow\`, with a pool of ${POOL} and a ${HELD_MS} ms wait, so at most ${bound} requests per second for a pool held across the wait: ${holding.join(', ')}; ${releasing.join(', ')}, which gives its connection back between the two queries, so the wait holds none.`,
    '',
    `_From [docs/results/latest.json](${linkPrefix}results/latest.json), ${results.startedAt.slice(0, 10)}._`,
  ].join('\n');
}
