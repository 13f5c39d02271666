import { formatRatio } from '../shared/paired-ratio.js';
import { DRIVER_TITLES, formatPromises, formatUs } from './micro-format.js';
import type { MicroResults } from './micro-results.js';
import { targetOutcomes } from './micro-targets.js';

function interval({ median, low, high }: { median: number; low: number; high: number }): string {
  return `${formatUs(median)} [${formatUs(low)}–${formatUs(high)}]`;
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : '−'}${formatUs(Math.abs(value))}`;
}

/** The pieces the summary prices, each the extra of one comparison. */
const PIECES: readonly { label: string; operation: string; subject: string; reference: string }[] =
  [
    {
      label: 'Kysely over the driver, per query',
      operation: 'query',
      subject: 'kysely-plain',
      reference: 'driver',
    },
    {
      label: "baseline's machinery, per query",
      operation: 'query',
      subject: 'baseline',
      reference: 'kysely-plain',
    },
    {
      label: 'a scope (AsyncLocalStorage + teardown), over AsyncLocalStorage.run alone',
      operation: 'scope',
      subject: 'baseline',
      reference: 'als',
    },
    {
      label: "per-request's lock on its held connection, per query",
      operation: 'query',
      subject: 'per-request',
      reference: 'baseline',
    },
    {
      label: "scoped-session's unit of work (lease, BEGIN, ROLLBACK at the end), per request",
      operation: 'request',
      subject: 'scoped-session',
      reference: 'baseline',
    },
    {
      label: "pooled-registry's lease from the registry, per request",
      operation: 'request',
      subject: 'pooled-registry',
      reference: 'baseline',
    },
    {
      label: 'per-query: a connection opened and closed for the query',
      operation: 'query-opening',
      subject: 'per-query',
      reference: 'kysely-plain',
    },
    {
      label: 'per-request: a connection opened and closed for the request',
      operation: 'request-opening',
      subject: 'per-request',
      reference: 'kysely-plain',
    },
    {
      label: "this project's pool over pg's, per acquire + release",
      operation: 'acquire+release',
      subject: 'core pool',
      reference: 'pg.Pool',
    },
    {
      label:
        "pg.Pool's acquire timeout, a timer set and cleared per checkout (this project's pool sets none for an idle connection)",
      operation: 'acquire+release',
      subject: 'pg.Pool + timeout',
      reference: 'pg.Pool',
    },
    {
      label: 'openConnection() over the driver, per connect',
      operation: 'connect',
      subject: 'openConnection',
      reference: 'driver',
    },
    {
      label: "baseline's transaction over plain Kysely's",
      operation: 'transaction',
      subject: 'baseline',
      reference: 'kysely-plain',
    },
  ];

function piecesTable(results: MicroResults): string[] {
  const cell = (driver: MicroResults['drivers'][number], piece: (typeof PIECES)[number]) => {
    const extra = driver.operations
      .find((op) => op.name === piece.operation)
      ?.comparisons.find(
        (c) => c.subject === piece.subject && c.reference === piece.reference,
      )?.extraUs;
    return extra
      ? `${signed(extra.median)} µs [${signed(extra.low)}…${signed(extra.high)}]`
      : 'n/a';
  };
  return [
    `| piece | ${results.drivers.map((d) => DRIVER_TITLES[d.driver] ?? d.driver).join(' | ')} |`,
    `| --- | ${results.drivers.map(() => '---:').join(' | ')} |`,
    ...PIECES.map(
      (piece) => `| ${piece.label} | ${results.drivers.map((d) => cell(d, piece)).join(' | ')} |`,
    ),
  ];
}

/**
 * For each target missed because of work the server does: what that work
 * is, and what it costs next to one query of the driver alone on that
 * driver, so a reader sees the lifetime's cost apart from its machinery.
 */
function serverWorkNotes(results: MicroResults): string[] {
  const notes = targetOutcomes(results).flatMap(
    ({ driver, target, verdict, extraUs, driverQueryUs }) => {
      if (verdict !== 'missed' || !target.serverWork || extraUs === undefined) return [];
      const scale =
        driverQueryUs === undefined
          ? ''
          : ` A query through the driver alone takes ${formatUs(driverQueryUs)} µs here, so that is ${(extraUs / driverQueryUs).toFixed(1)} of its round trips.`;
      return [
        `- ${DRIVER_TITLES[driver] ?? driver}, ${target.label}: ${target.subject} costs ${signed(extraUs)} µs per ${target.operation} over ${target.reference} because ${target.serverWork}.${scale} No machinery on the client can take that away; only fewer statements would.`,
      ];
    },
  );
  return notes.length === 0
    ? []
    : ['Where a target is missed by work on the server:', '', ...notes, ''];
}

/** docs/results/micro.md: the targets first, then every operation's figures and ratios. */
export function microReport(results: MicroResults): string {
  const { machine, plan, load } = results;
  const lines: string[] = [
    '# What each piece costs, in process',
    '',
    `_Measured ${results.startedAt.slice(0, 10)} on ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}; ` +
      `load average ${load.start.map((l) => l.toFixed(2)).join(' / ')} at the start and ${load.end.map((l) => l.toFixed(2)).join(' / ')} at the end (1 / 5 / 15 min). ` +
      `${plan.blocks} blocks per operation, each row for at least ${plan.blockMs} ms and ${plan.minIterations} ops per block. ` +
      'Regenerated by `npm run micro -w @lifetimes/bench`._',
    '',
    'No HTTP here: each row calls the operation in a loop in one process (tinybench), one row after another in a block, ' +
      'the order reversed every other block. A single figure drifts ±20–40% from block to block on a shared machine; ' +
      'the ratio of two rows in the same block drifts far less. So each ratio is the median of the per-block ratios with ' +
      'its 95% bootstrap interval, and `≈1 (not resolved)` means the interval contains 1: this run cannot tell the two apart. ' +
      "µs/op is the median over the blocks of each block's median op: robust to a time slice lost to another process, " +
      'but blind to the garbage collections an operation causes, which land on a few ops. ' +
      "CPU µs/op is this process's CPU time per op over a block (garbage collection and tinybench's own bookkeeping included, " +
      'waiting for the server or for a core excluded), and the CPU ratio compares those. ' +
      '"Extra" is the median per-block difference in µs per op, with its interval. ' +
      'promises/op is counted, not timed, so it holds from run to run: the promises one op makes, counted by an async hook ' +
      'apart from the timed blocks. While an AsyncLocalStorage store is active, Node 20 copies the context onto each new ' +
      'promise, so at equal work the row that makes more promises takes longer.',
    '',
    '## Targets',
    '',
    '| driver | target | bound | ratio | verdict | CPU ratio | verdict on CPU |',
    '| --- | --- | ---: | ---: | --- | ---: | --- |',
    ...targetOutcomes(results).map(
      ({ driver, target, ratio, verdict, cpuRatio, cpuVerdict }) =>
        `| ${DRIVER_TITLES[driver] ?? driver} | ${target.label}: ${target.subject} / ${target.reference} (${target.operation}) | ≤ ${target.max.toFixed(2)} | ${formatRatio(ratio ?? undefined)} | ${verdict} | ${formatRatio(cpuRatio ?? undefined)} | ${cpuVerdict} |`,
    ),
    '',
    '_met: the whole interval is within the bound; missed: the whole interval is above it; unresolved: the interval straddles it._',
    '',
    ...serverWorkNotes(results),
    '## What each piece costs',
    '',
    'Each figure is the median per-block difference between two rows measured side by side, with its 95% interval.',
    '',
    ...piecesTable(results),
  ];
  for (const { driver, server, operations } of results.drivers) {
    lines.push('', `## ${DRIVER_TITLES[driver] ?? driver}${server ? ` (${server} server)` : ''}`);
    for (const operation of operations) {
      lines.push(
        '',
        `### ${operation.name}`,
        '',
        `${operation.description[0]?.toUpperCase() ?? ''}${operation.description.slice(1)}.`,
        '',
        '| row | µs/op, median [95% interval] | CPU µs/op | promises/op |',
        '| --- | ---: | ---: | ---: |',
        ...operation.rows.map(
          (row) =>
            `| ${row.name} | ${interval(row)} | ${formatUs(row.cpu)} | ${formatPromises(row.promisesPerOp)} |`,
        ),
        '',
        '| comparison | ratio | CPU ratio | extra µs/op |',
        '| --- | ---: | ---: | ---: |',
        ...operation.comparisons.map(
          ({ subject, reference, ratio, cpuRatio, extraUs }) =>
            `| ${subject} / ${reference} | ${formatRatio(ratio ?? undefined)} | ${formatRatio(cpuRatio ?? undefined)} | ${
              extraUs
                ? `${signed(extraUs.median)} [${signed(extraUs.low)}…${signed(extraUs.high)}]`
                : 'n/a'
            } |`,
        ),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
