import { formatRatio } from '../shared/paired-ratio.js';
import { STRATEGIES } from '../shared/rows.js';
import { WORKLOAD_NAMES } from '../shared/workloads.js';
import type { BenchResults, Cell } from './results.js';

/** What the terminal shows of a cell: req/s and the paired ratio to baseline. */
export function cellSummary(cell: Cell): string {
  if (!cell.finished || !cell.requestsPerSec) return `none finished${cell.passed ? '' : ' FAIL'}`;
  const rate = Math.round(cell.requestsPerSec.median);
  const ratio =
    cell.strategy === 'baseline' || !cell.ratioToBaseline
      ? ''
      : ` ${formatRatio(cell.ratioToBaseline)}`;
  return `${rate}${ratio}${cell.passed ? '' : ' FAIL'}`;
}

/** The end-of-run table on the terminal: requests/s per row and workload, with the ratio to baseline. */
export function summaryTable(results: BenchResults): string {
  const lines: string[] = [];
  for (const driver of [...new Set(results.cells.map((c) => c.driver))]) {
    const workloads = WORKLOAD_NAMES.filter((w) =>
      results.cells.some((c) => c.driver === driver && c.workload === w),
    );
    const rows = STRATEGIES.filter((s) =>
      results.cells.some((c) => c.driver === driver && c.strategy === s),
    ).map((strategy) => [
      strategy,
      ...workloads.map((workload) => {
        const cell = results.cells.find(
          (c) => c.driver === driver && c.strategy === strategy && c.workload === workload,
        );
        return cell ? cellSummary(cell) : '-';
      }),
    ]);
    const header = [`${driver} req/s`, ...workloads];
    const widths = header.map((h, i) =>
      Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)),
    );
    const format = (row: string[]) =>
      row
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
        .join('  ');
    lines.push('', format(header), ...rows.map(format));
  }
  return `${lines.join('\n')}\n`;
}
