import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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

/** The latest full fault run in bench/results: the run docs/results/faults.md reports. */
function latestFaultRun(docs: string): readonly FaultOutcome[] {
  const dir = join(docs, '..', 'bench', 'results');
  const newestFirst = readdirSync(dir)
    .filter((name) => /^faults-.*\.json$/.test(name))
    .sort()
    .reverse();
  // Read newest first and stop at the first full run: older runs are never parsed.
  for (const name of newestFirst) {
    const run = JSON.parse(readFileSync(join(dir, name), 'utf8')) as {
      method: { quick: boolean };
      outcomes: FaultOutcome[];
    };
    if (!run.method.quick) return run.outcomes;
  }
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

const KINDS =
  'rate STRATEGY DRIVER WORKLOAD, ratio STRATEGY DRIVER WORKLOAD, cpu STRATEGY DRIVER WORKLOAD [app|server|all], connect-cpu DRIVER [app|server|all], connect-ms fast|slow, above-baseline DRIVER, opened STRATEGY';

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
  if (kind === 'opened' && (PROFILE_NAMES as readonly string[]).includes(a)) {
    return timelineOpened(docs, a);
  }
  throw new Error(`Unknown figure "<!-- fig:${spec} -->": use ${KINDS}.`);
}
