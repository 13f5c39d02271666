import { STRATEGIES } from './bench-options.js';
import type { BenchResults, Cell, Check } from './results.js';
import { WORKLOAD_NAMES, WORKLOADS } from './workloads.js';

const MARK: Record<Check, string> = { pass: 'pass', fail: '**FAIL**', 'n/a': '–' };

function fixed(value: number, digits = 0): string {
  return value.toLocaleString('en-US', {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  });
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

/** One table: strategies down, workloads across, `show` of each cell. */
function matrix(results: BenchResults, driver: string, show: (cell: Cell) => string): string {
  const workloads = WORKLOAD_NAMES.filter((w) =>
    results.cells.some((c) => c.driver === driver && c.workload === w),
  );
  const strategies = STRATEGIES.filter((s) =>
    results.cells.some((c) => c.driver === driver && c.strategy === s),
  );
  const rows = strategies.map((strategy) => [
    strategy,
    ...workloads.map((workload) => {
      const cell = results.cells.find(
        (c) => c.driver === driver && c.strategy === strategy && c.workload === workload,
      );
      return cell ? show(cell) : '–';
    }),
  ]);
  return table(['strategy', ...workloads], rows);
}

/** The markdown report: method, then per driver throughput, latency, connections, memory and checks. */
export function reportMarkdown(results: BenchResults, chartFiles: readonly string[]): string {
  const { method, machine } = results;
  const drivers = [...new Set(results.cells.map((c) => c.driver))];
  const out: string[] = [
    '# Benchmark results',
    '',
    `${results.passed ? 'Every correctness check passed.' : '**Some correctness checks failed: see the tables below.**'}`,
    '',
    `Run ${results.startedAt} to ${results.finishedAt} on ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}. ` +
      `${method.trials} trial(s) per cell in alternating order, ${method.warmupSec} s warm-up and ${method.durationSec} s measured per round, ` +
      `${method.connections} concurrent connections, apps ${method.pinned ? 'pinned to core 0 and the load generator to core 1' : 'not pinned'}, ` +
      `PostgreSQL: ${method.postgres}${method.quick ? ', **quick mode: numbers are not meaningful**' : ''}. ` +
      'Values are medians of the trials; ratios compare medians measured in this same run. How to read them: [benchmark-method.md](../benchmark-method.md).',
    '',
    '## Workloads',
    '',
    ...WORKLOAD_NAMES.filter((w) => results.cells.some((c) => c.workload === w)).map(
      (w) => `- \`${w}\`: ${WORKLOADS[w].description}.`,
    ),
  ];
  for (const driver of drivers) {
    out.push(
      '',
      `## ${driver === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`,
      '',
      '### Throughput: requests/s (ratio to baseline)',
      '',
      matrix(results, driver, (c) =>
        c.requestsPerSec.median === 0
          ? 'none finished in a round'
          : `${fixed(c.requestsPerSec.median)}${c.ratioToBaseline === undefined ? '' : ` (×${fixed(c.ratioToBaseline, 2)})`}`,
      ),
      '',
      '### Latency p50 / p99 (ms, whole milliseconds as autocannon counts them) and server route time p50 (µs)',
      '',
      matrix(
        results,
        driver,
        (c) =>
          `${fixed(c.p50Ms.median)} / ${fixed(c.p99Ms.median)}${c.serverP50Us ? ` · ${fixed(c.serverP50Us.median)} µs` : ''}`,
      ),
      '',
      '### Connections opened per request, and peak connections the server saw',
      '',
      matrix(
        results,
        driver,
        (c) =>
          `${fixed(c.connectionsPerRequest.median, 2)}${c.peakServerConnections ? ` · peak ${fixed(c.peakServerConnections.median)}` : ''}`,
      ),
      '',
      '### Peak memory of the app process (MiB)',
      '',
      matrix(results, driver, (c) => (c.peakRssMb ? fixed(c.peakRssMb.median) : '–')),
      '',
      '### Correctness under load',
      '',
      table(
        [
          'strategy',
          'workload',
          'bodies',
          'no 5xx',
          'total kept',
          'statements',
          '/whoami',
          'idle',
          'drained',
        ],
        results.cells
          .filter((c) => c.driver === driver)
          .map((c) => [
            c.strategy,
            c.workload,
            MARK[c.checks.bodies],
            MARK[c.checks.no5xx],
            MARK[c.checks.totalKept],
            MARK[c.checks.statementCount],
            MARK[c.checks.sameConnection],
            MARK[c.checks.idle],
            MARK[c.checks.drained],
          ]),
      ),
    );
  }
  out.push('', ...overheadSection(results));
  const notes = [
    ...results.rounds.flatMap((r) =>
      r.notes.map((n) => `${r.strategy} on ${r.driver}, ${r.workload}, trial ${r.trial}: ${n}`),
    ),
    ...results.appRuns.flatMap((r) =>
      r.notes.map((n) => `${r.strategy} on ${r.driver}, trial ${r.trial}: ${n}`),
    ),
  ];
  if (notes.length > 0) out.push('', '## Notes', '', ...[...new Set(notes)].map((n) => `- ${n}`));
  if (chartFiles.length > 0) {
    out.push(
      '',
      '## Charts',
      '',
      ...chartFiles.map((file) => `![${file.replace(/\.svg$/, '')}](${file})`),
    );
  }
  return `${out.join('\n')}\n`;
}

/**
 * What this project's own machinery costs (baseline against kysely-plain,
 * the same routes on Kysely's own dialects), and how much of the scoped
 * strategies' gap is their lifetime rather than that machinery.
 */
function overheadSection(results: BenchResults): string[] {
  const find = (strategy: string, driver: string, workload: string) =>
    results.cells.find(
      (c) => c.strategy === strategy && c.driver === driver && c.workload === workload,
    );
  const drivers = [...new Set(results.cells.map((c) => c.driver))];
  const rows: string[][] = [];
  for (const driver of drivers) {
    for (const workload of ['db', 'queries', 'updates', 'transfer', 'slow'] as const) {
      const plain = find('kysely-plain', driver, workload);
      const base = find('baseline', driver, workload);
      if (!plain || !base || plain.requestsPerSec.median === 0) continue;
      const machinery = base.requestsPerSec.median / plain.requestsPerSec.median;
      const gaps = ['per-request', 'scoped-session'].map((strategy) => {
        const cell = find(strategy, driver, workload);
        if (!cell) return '–';
        const total = 1 - cell.requestsPerSec.median / plain.requestsPerSec.median;
        const lifetime = 1 - (cell.ratioToBaseline ?? 1);
        return `${pct(total)} (lifetime ${pct(lifetime)})`;
      });
      rows.push([
        driver,
        workload,
        `×${fixed(machinery, 2)}`,
        Math.abs(1 - machinery) <= 0.05 ? 'met' : '**not met**',
        ...gaps,
      ]);
    }
  }
  if (rows.length === 0) return [];
  return [
    '## What the machinery costs, and what the lifetime costs',
    '',
    "`baseline` runs the same lifetime as `kysely-plain` (a process-wide connection or pool) through this project's adapters, scope middleware and counters, so their ratio is the cost of that machinery; the target is within 5%. For per-request and scoped-session, the gap to kysely-plain is split: the part measured against the baseline of the same run is the lifetime itself (connecting per request, a transaction per request), the rest is machinery. Throughput gaps, so positive is slower:",
    '',
    table(
      [
        'driver',
        'workload',
        'baseline / kysely-plain',
        'within 5%',
        'per-request gap (lifetime)',
        'scoped-session gap (lifetime)',
      ],
      rows,
    ),
  ];
}

function pct(value: number): string {
  return `${value >= 0 ? '' : '−'}${fixed(Math.abs(value) * 100)}%`;
}
