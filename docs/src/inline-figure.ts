import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RuntimesResults } from '@lifetimes/bench';
import { PROFILE_NAMES } from '@lifetimes/strategies';
import { type Cell, cell, type Results, rate, ratio } from './bench-cells.js';

/**
 * A figure quoted inside a sentence: `<!-- fig:KIND ARGS -->value<!-- /fig -->`.
 * The value is rendered from the results like a block, so a sentence's
 * number cannot drift from the data it cites; the docs test fails when one
 * is stale, and when prose quotes a ratio, a rate or a CPU figure outside one.
 */
export const INLINE_FIGURE = /<!-- fig:([^>]*?) -->([\s\S]*?)<!-- \/fig -->/g;

const DRIVERS = new Set(['sqlite', 'postgres']);

/** Microseconds as the course prints CPU: µs under a millisecond, ms with one decimal above. */
function cpu(us: number): string {
  return us < 1000 ? `${Math.round(us)} µs` : `${(us / 1000).toFixed(1)} ms`;
}

/**
 * What one connect costs in CPU, from the `db` workload: per-query opens
 * one connection per request and otherwise does what the baseline does, so
 * the difference per connection opened is the connect. `part` picks the
 * app's share, the server's, or both.
 */
function connectCpu(results: Results, driver: string, part: string): string {
  const open = cell(results, 'per-query', driver, 'db');
  const base = cell(results, 'baseline', driver, 'db');
  const pick = (c: Cell) =>
    (part === 'server' ? 0 : (c.appCpuUsPerRequest?.median ?? Number.NaN)) +
    (part === 'app'
      ? 0
      : (c.serverCpuUsPerRequest?.median ?? (driver === 'sqlite' ? 0 : Number.NaN)));
  const perConnect = (pick(open) - pick(base)) / (open.connectionsPerRequest?.median ?? Number.NaN);
  if (!Number.isFinite(perConnect)) {
    throw new Error(
      `docs/results/latest.json lacks the CPU figures of per-query or baseline on ${driver} \`db\`: run the full bench (npx turbo bench), then npm run docs -w @lifetimes/docs.`,
    );
  }
  return cpu(perConnect);
}

/** The strategies whose whole interval lies above the baseline's, per workload; "none" when none does. */
function aboveBaseline(results: Results, driver: string): string {
  const above = results.cells.filter(
    (c) =>
      c.driver === driver &&
      (PROFILE_NAMES as readonly string[]).includes(c.strategy) &&
      c.finished &&
      c.ratioToBaseline?.resolved === true &&
      c.ratioToBaseline.low > 1,
  );
  return above.length === 0
    ? 'none'
    : above
        .map((c) => `${c.strategy} on \`${c.workload}\` (${ratio(c.ratioToBaseline)})`)
        .join(', ');
}

/**
 * The number of connections a strategy's timeline opened, from the subtitle
 * of its PostgreSQL picture: the one the course shows first. Only baseline
 * opens a different number on SQLite, where its pool is one handle.
 */
function timelineOpened(docs: string, strategy: string): string {
  const picture = `timeline-${strategy}-postgres.svg`;
  const svg = readFileSync(join(docs, 'pictures', picture), 'utf8');
  const found = /; (\d+) connection\(s\) opened\./.exec(svg);
  if (!found?.[1]) {
    throw new Error(
      `docs/pictures/${picture} names no count of connections opened: npm run pictures -w @lifetimes/timelines.`,
    );
  }
  return found[1];
}

/** A cell's CPU per request: the app's, the server's, or both. */
function cellCpu(found: Cell, part: string): string {
  const app = found.appCpuUsPerRequest?.median;
  const server = found.serverCpuUsPerRequest?.median;
  const value = part === 'app' ? app : part === 'server' ? server : (app ?? 0) + (server ?? 0);
  if (!found.finished || value === undefined) return 'none finished';
  return cpu(value);
}

interface FaultOutcome {
  readonly scenario: string;
  readonly strategy: string;
  readonly driver: string;
  readonly figures: Readonly<Record<string, number | string>>;
}

/**
 * The newest run in bench/results whose name starts with `prefix` and that
 * `wanted` accepts. Read newest first, stopping at the first one wanted:
 * older runs are never parsed.
 */
function newestRun<T>(docs: string, prefix: string, wanted: (run: T) => boolean): T | undefined {
  const dir = join(docs, '..', 'bench', 'results');
  const names = readdirSync(dir).filter(
    (name) => name.startsWith(prefix) && name.endsWith('.json'),
  );
  for (const name of names.sort().reverse()) {
    const run = JSON.parse(readFileSync(join(dir, name), 'utf8')) as T;
    if (wanted(run)) return run;
  }
  return undefined;
}

/** The latest full fault run in bench/results: the run docs/results/faults.md reports. */
function latestFaultRun(docs: string): readonly FaultOutcome[] {
  const run = newestRun<{ method: { quick: boolean }; outcomes: FaultOutcome[] }>(
    docs,
    'faults-',
    (r) => !r.method.quick,
  );
  if (run) return run.outcomes;
  throw new Error(
    'bench/results holds no full fault run: npm run faults -w @lifetimes/bench -- --docs=../docs/results, then npm run docs -w @lifetimes/docs.',
  );
}

/**
 * Wall time per PostgreSQL connect, from the fault suite's slow-network
 * scenario: per-query opens a connection for each query of the request and
 * the baseline none, so their difference over the connections per-query
 * opened is the connect. `fast`: on loopback; `slow`: what the slow link
 * added to each connect.
 */
function connectMs(docs: string, phase: string): string {
  const outcomes = latestFaultRun(docs);
  const outcome = (strategy: string) =>
    outcomes.find(
      (o) => o.scenario === 'slow-network' && o.driver === 'postgres' && o.strategy === strategy,
    )?.figures;
  const open = outcome('per-query');
  const base = outcome('baseline');
  const field = phase === 'slow' ? 'addedMs' : 'fastMs';
  const perConnect =
    (Number(open?.[field]) - Number(base?.[field])) / Number(open?.handshakesPerRequest);
  if (!Number.isFinite(perConnect)) {
    throw new Error(
      'The latest full fault run lacks the slow-network figures of per-query or baseline: run the fault suite in full, then npm run docs -w @lifetimes/docs.',
    );
  }
  return `${perConnect.toFixed(1)} ms`;
}

/** The latest runtime comparison in bench/results that ran the rows over HTTP: the run docs/results/runtimes.md reports. */
function latestRuntimeRun(docs: string): RuntimesResults {
  const run = newestRun<RuntimesResults>(docs, 'runtimes-', (r) => r.http !== undefined);
  if (run) return run;
  throw new Error(
    'bench/results holds no runtime comparison over HTTP: npx turbo bench -- --node=20,24, then npm run docs -w @lifetimes/docs.',
  );
}

/**
 * A ratio from the latest runtime comparison: the later runtime over the
 * first for `http ROW DRIVER rate|cpu` (a row's app over HTTP: throughput
 * or CPU per request) and `micro ROW DRIVER OPERATION` (in-process time per
 * op), or one row over another within one runtime for `versus
 * SUBJECT/REFERENCE DRIVER OPERATION MAJOR`.
 */
function runtimeRatio(docs: string, args: readonly string[]): string {
  const [layer, row, driver, what, major] = args;
  const run = latestRuntimeRun(docs);
  if (layer === 'versus' && major !== undefined) {
    const [subject, reference] = (row ?? '').split('/');
    const index = run.comparison.versions.findIndex((v) => v.split('.')[0] === major);
    const found = run.comparison.lifetimes.find(
      (l) =>
        l.subject === subject &&
        l.reference === reference &&
        l.driver === driver &&
        l.operation === what,
    );
    if (found && index >= 0) return ratio(found.ratios[index] ?? undefined);
  }
  if (layer === 'http' && (what === 'rate' || what === 'cpu')) {
    const found = run.http?.cells.find((c) => c.strategy === row && c.driver === driver);
    if (found) return ratio((what === 'rate' ? found.rateRatios : found.cpuRatios)[0] ?? undefined);
  }
  if (layer === 'micro') {
    const found = run.comparison.rows.find(
      (r) => r.row === row && r.driver === driver && r.operation === what,
    );
    if (found) return ratio(found.ratios[0] ?? undefined);
  }
  throw new Error(
    `The latest runtime comparison has no figure "${args.join(' ')}": use http ROW DRIVER rate|cpu, micro ROW DRIVER OPERATION or versus SUBJECT/REFERENCE DRIVER OPERATION MAJOR, with rows, a driver and a runtime it measured.`,
  );
}

const KINDS =
  'rate STRATEGY DRIVER WORKLOAD, ratio STRATEGY DRIVER WORKLOAD, cpu STRATEGY DRIVER WORKLOAD [app|server|all], connect-cpu DRIVER [app|server|all], connect-ms fast|slow, above-baseline DRIVER, opened STRATEGY, runtime http ROW DRIVER rate|cpu, runtime micro ROW DRIVER OPERATION, runtime versus SUBJECT/REFERENCE DRIVER OPERATION MAJOR';

/** The value of one inline figure, from its spec (`ratio per-request sqlite db`). */
export function inlineFigure(spec: string, results: Results, docs: string): string {
  const [kind, ...args] = spec.trim().split(/\s+/);
  const [a = '', b = '', c = ''] = args;
  if (kind === 'rate' && args.length === 3) return rate(cell(results, a, b, c));
  if (kind === 'ratio' && args.length === 3) {
    const found = cell(results, a, b, c);
    return found.finished ? ratio(found.ratioToBaseline) : 'none finished';
  }
  if (kind === 'cpu' && args.length >= 3 && args.length <= 4) {
    return cellCpu(cell(results, a, b, c), args[3] ?? 'all');
  }
  if (kind === 'connect-cpu' && DRIVERS.has(a)) return connectCpu(results, a, b || 'all');
  if (kind === 'connect-ms' && (a === 'fast' || a === 'slow')) return connectMs(docs, a);
  if (kind === 'above-baseline' && DRIVERS.has(a)) return aboveBaseline(results, a);
  if (kind === 'runtime' && args.length >= 4) return runtimeRatio(docs, args);
  if (kind === 'opened' && (PROFILE_NAMES as readonly string[]).includes(a)) {
    return timelineOpened(docs, a);
  }
  throw new Error(`Unknown figure "<!-- fig:${spec} -->": use ${KINDS}.`);
}
