import type { FaultResults } from './results.js';
import { survivalRows } from './survival.js';

/** The end-of-run table on the terminal: per driver, each strategy's headline figure per scenario. */
export function faultTable(results: FaultResults): string {
  const lines: string[] = [];
  for (const driver of ['sqlite', 'postgres'] as const) {
    const scenarios = results.scenarios.filter(
      (s) =>
        s.drivers.includes(driver) &&
        results.outcomes.some((o) => o.driver === driver && o.scenario === s.name),
    );
    if (scenarios.length === 0) continue;
    const rows = survivalRows(results, driver, scenarios, { missing: '-', failed: 'FAIL ' });
    const header = [`${driver} faults`, ...scenarios.map((s) => s.name), 'leaked', 'writes lost'];
    const widths = header.map((h, i) =>
      Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)),
    );
    const format = (row: readonly string[]) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd();
    lines.push('', format(header), ...rows.map(format));
  }
  return `${lines.join('\n')}\n`;
}
