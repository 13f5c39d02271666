import type { Check } from '../shared/check.js';
import { markdownTable as table } from '../shared/markdown-table.js';
import { formatRatio } from '../shared/paired-ratio.js';
import { STRATEGIES } from '../shared/rows.js';
import { WORKLOAD_NAMES, WORKLOADS } from '../shared/workloads.js';
import type { BenchResults, Cell, RatioInterval, Spread } from './results.js';

const MARK: Record<Check, string> = { pass: 'pass', fail: '**FAIL**', 'n/a': '–' };

function fixed(value: number, digits = 0): string {
  return value.toLocaleString('en-US', {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  });
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

const NONE = 'none finished';

/** `show` of a cell where a request finished; "none finished" otherwise. */
function finished(show: (cell: Cell) => string): (cell: Cell) => string {
  return (cell) => (cell.finished ? show(cell) : NONE);
}

const micros = (spread: Spread | undefined) => (spread ? `${fixed(spread.median)} µs` : 'n/a');

/** A cell's throughput with its paired ratio to the baseline. */
function throughput(cell: Cell): string {
  const rate = fixed(cell.requestsPerSec?.median ?? 0);
  if (cell.strategy === 'baseline') return `${rate} (reference)`;
  return cell.ratioToBaseline ? `${rate} (${formatRatio(cell.ratioToBaseline)})` : rate;
}

/** The markdown report: method, then per driver throughput, CPU, latency, connections, memory and checks. */
export function reportMarkdown(results: BenchResults, chartFiles: readonly string[]): string {
  const { method, machine } = results;
  const drivers = [...new Set(results.cells.map((c) => c.driver))];
  const warmups = results.appRuns.map(
    (r) =>
      `${r.strategy} on ${r.driver} ${fixed(r.warmupSec, 1)} s${r.warmupSettled ? '' : ' (not settled: the bound)'}`,
  );
  const out: string[] = [
    '# Benchmark results',
    '',
    `${results.passed ? 'Every correctness check passed.' : '**Some correctness checks failed: see the tables below.**'}`,
    '',
    `Run ${results.startedAt} to ${results.finishedAt} (${fixed(method.tookSec / 60, 1)} min; the plan estimated ${fixed(method.estimatedSec / 60, 1)}) on ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}. ` +
      `Every app of a driver runs at once, warmed in turns until its throughput settled; then per workload ${method.passes} passes over the rows in alternating order, rounds of about ${method.roundSec} s, ` +
      `${method.connections} concurrent connections, apps ${method.pinned ? `pinned to core 0 and the load generator${method.postgres === 'embedded' ? ' (with the embedded PostgreSQL it started)' : ''} to core 1` : 'not pinned'}, ` +
      `PostgreSQL: ${method.postgres}${method.quick ? ', **quick mode: numbers are not meaningful**' : ''}. ` +
      'Throughput is 2xx answers over the measured duration of each round; values are medians over the rounds; a ratio is the median of the per-pass ratios with its 95% bootstrap interval, and "≈1 (not resolved)" when that interval contains 1. How to read them: [benchmark-method.md](../benchmark-method.md).',
    '',
    'Beside this page: [what each piece of the machinery costs, in process](micro.md), [what the runtime changes](runtimes.md), [two runs of this matrix compared](compare.md), [the fault suite](faults.md) and [the fleet bench](fleet.md).',
    '',
    `Warm-up: ${warmups.join(', ')}.`,
    '',
    '## Workloads',
    '',
    ...WORKLOAD_NAMES.filter((w) => results.cells.some((c) => c.workload === w)).map(
      (w) => `- \`${w}\`: ${WORKLOADS[w].description}.`,
    ),
  ];
  for (const driver of drivers) {
    const section = (title: string, show: (cell: Cell) => string) => [
      '',
      `### ${title}`,
      '',
      matrix(results, driver, finished(show)),
    ];
    out.push(
      '',
      `## ${driver === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`,
      ...section('Throughput: requests/s (ratio to baseline, 95% interval)', throughput),
      ...section(
        'CPU per request: app process · database server (µs)',
        (c) =>
          `${micros(c.appCpuUsPerRequest)} · ${driver === 'sqlite' ? 'in the app' : micros(c.serverCpuUsPerRequest)}`,
      ),
      ...section(
        'Latency p50 / p99 (ms, whole milliseconds as autocannon counts them) and server route time p50 (µs)',
        (c) =>
          `${fixed(c.p50Ms?.median ?? 0)} / ${fixed(c.p99Ms?.median ?? 0)}${c.serverP50Us ? ` · ${fixed(c.serverP50Us.median)} µs` : ''}`,
      ),
      ...section(
        "Connections opened per request, and peak connections the server saw on the round's databases",
        (c) =>
          `${fixed(c.connectionsPerRequest?.median ?? 0, 2)}${c.peakServerConnections ? ` · peak ${fixed(c.peakServerConnections.median)}` : ''}`,
      ),
      ...section('Peak memory of the app process (MiB)', (c) =>
        c.peakRssMb ? fixed(c.peakRssMb.median) : '–',
      ),
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
  out.push('', ...costSection(results));
  const notes = [
    ...results.rounds.flatMap((r) =>
      r.notes.map((n) => `${r.strategy} on ${r.driver}, ${r.workload}, pass ${r.pass}: ${n}`),
    ),
    ...results.appRuns.flatMap((r) => r.notes.map((n) => `${r.strategy} on ${r.driver}: ${n}`)),
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
 * Whether baseline is within 5% of kysely-plain, told only when the interval
 * says so: inside ±5% is met, wholly outside is not met, anything else is
 * not resolved by this run.
 */
export function withinFivePercent(ratio: RatioInterval | undefined): string {
  if (!ratio) return '–';
  if (ratio.low >= 0.95 && ratio.high <= 1.05) return 'met';
  if (ratio.high < 0.95 || ratio.low > 1.05) return '**not met**';
  return 'not resolved';
}

/**
 * Where a request's cost goes, split by the rows: the driver floor (node:http
 * straight onto the driver) against kysely-plain is the framework and query
 * builder; kysely-plain against baseline is this project's machinery;
 * baseline against a strategy is the lifetime itself.
 */
function costSection(results: BenchResults): string[] {
  const find = (strategy: string, driver: string, workload: string) =>
    results.cells.find(
      (c) => c.strategy === strategy && c.driver === driver && c.workload === workload,
    );
  const drivers = [...new Set(results.cells.map((c) => c.driver))];
  const rows: string[][] = [];
  for (const driver of drivers) {
    for (const workload of WORKLOAD_NAMES) {
      const base = find('baseline', driver, workload);
      if (!base) continue;
      const floor = find('driver-floor', driver, workload);
      const ratioOf = (cell: Cell | undefined, to: 'baseline' | 'kysely-plain') =>
        cell?.finished
          ? to === 'baseline'
            ? cell.ratioToBaseline
            : cell.ratioToKyselyPlain
          : undefined;
      const machinery = ratioOf(base, 'kysely-plain');
      if (!floor && !machinery) continue;
      rows.push([
        driver,
        workload,
        floor ? formatRatio(ratioOf(floor, 'kysely-plain')) : '–',
        formatRatio(machinery),
        withinFivePercent(machinery),
        formatRatio(ratioOf(find('per-request', driver, workload), 'baseline')),
        formatRatio(ratioOf(find('scoped-session', driver, workload), 'baseline')),
      ]);
    }
  }
  if (rows.length === 0) return [];
  return [
    "## Where a request's cost goes: framework, machinery, lifetime",
    '',
    'Throughput ratios, paired by pass, with 95% intervals. `driver-floor / kysely-plain` is what express and Kysely cost over the bare driver; `baseline / kysely-plain` is this project\'s adapters, scope middleware and counters on the same lifetime (the target is within 5%: "met" only when the whole interval is inside, "not met" only when it is wholly outside); a strategy over the baseline is the lifetime itself (connecting per request, a transaction per request).',
    '',
    table(
      [
        'driver',
        'workload',
        'driver-floor / kysely-plain',
        'baseline / kysely-plain',
        'within 5%',
        'per-request / baseline',
        'scoped-session / baseline',
      ],
      rows,
    ),
  ];
}
