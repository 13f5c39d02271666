import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResults, Cell, RatioInterval } from './results.js';
import { formatRatio } from './shared/paired-ratio.js';

/** A ratio that moved more than this between two runs is flagged, when either run resolved it. */
const MOVED = 0.1;

export interface RatioChange {
  readonly what: string;
  readonly before: RatioInterval | undefined;
  readonly after: RatioInterval | undefined;
  /** after / before − 1 of the medians; undefined when either run has no ratio. */
  readonly change: number | undefined;
  readonly flagged: boolean;
}

const REFERENCES = [
  ['baseline', 'ratioToBaseline'],
  ['kysely-plain', 'ratioToKyselyPlain'],
] as const;

/** Every ratio either run reports, side by side. */
export function compareRuns(a: BenchResults, b: BenchResults): RatioChange[] {
  const key = (c: Cell) => `${c.driver} ${c.workload} ${c.strategy}`;
  const keys = [...new Set([...a.cells, ...b.cells].map(key))];
  const changes: RatioChange[] = [];
  for (const cellKey of keys) {
    const before = a.cells.find((c) => key(c) === cellKey);
    const after = b.cells.find((c) => key(c) === cellKey);
    for (const [reference, field] of REFERENCES) {
      if ((before ?? after)?.strategy === reference) continue;
      const x = before?.[field];
      const y = after?.[field];
      if (!x && !y) continue;
      const change = x && y ? y.median / x.median - 1 : undefined;
      changes.push({
        what: `${cellKey} / ${reference}`,
        before: x,
        after: y,
        change,
        flagged:
          change !== undefined && Math.abs(change) > MOVED && (x?.resolved || y?.resolved) === true,
      });
    }
  }
  return changes;
}

/** The comparison as text: one line per ratio, then how many moved. */
export function compareText(changes: readonly RatioChange[]): string {
  const width = Math.max(...changes.map((c) => c.what.length), 5);
  const lines = changes.map((c) => {
    const moved =
      c.change === undefined ? 'n/a' : `${c.change >= 0 ? '+' : ''}${(c.change * 100).toFixed(0)}%`;
    return `${c.what.padEnd(width)}  ${formatRatio(c.before).padEnd(34)}  ${formatRatio(c.after).padEnd(34)}  ${moved.padStart(6)}${c.flagged ? '  MOVED' : ''}`;
  });
  const flagged = changes.filter((c) => c.flagged).length;
  const both = changes.filter((c) => c.change !== undefined).length;
  return [
    `${'ratio'.padEnd(width)}  ${'run A'.padEnd(34)}  ${'run B'.padEnd(34)}  change`,
    ...lines,
    '',
    `${flagged} of ${both} ratios in both runs moved by more than ${MOVED * 100}% while resolved in either run.`,
    '',
  ].join('\n');
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const files = process.argv.slice(2).filter((arg) => arg !== '--');
  if (files.length !== 2) {
    process.stderr.write(
      'Name two results files: npm run bench:compare -- bench/results/<A>.json bench/results/<B>.json\n',
    );
    process.exit(2);
  }
  const [a, b] = files.map(
    (file) => JSON.parse(readFileSync(resolve(file), 'utf8')) as BenchResults,
  ) as [BenchResults, BenchResults];
  process.stdout.write(compareText(compareRuns(a, b)));
}
