import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ADDED_PROFILE as ADDED, withAddedRows } from '@lifetimes/strategies/with-added-profile';
import { describe, expect, it, vi } from 'vitest';
import { faultOptionsFromBench } from '../src/faults/options.js';
import { charts } from '../src/matrix/charts.js';
import { parseBenchOptions } from '../src/matrix/options.js';
import { roundCount, rowsFor } from '../src/matrix/plan.js';
import { reportMarkdown } from '../src/matrix/report.js';
import type { BenchResults } from '../src/matrix/results.js';
import { microOperations } from '../src/micro/micro-operations.js';
import { createMicroSubjects } from '../src/micro/micro-subjects.js';
import { WORKLOAD_NAMES } from '../src/shared/workloads.js';

/**
 * What adding a strategy means for the bench: one more profile in the
 * list. Here the list gains `per-statement` (withAddedProfile), and every
 * part of the bench must give it its rows without being told.
 */
vi.mock('@lifetimes/strategies', async (original) =>
  (await import('@lifetimes/strategies/with-added-profile')).withAddedProfile(await original()),
);

/** The committed run, with the rows a run with the added profile would have. */
function resultsWithAdded(): BenchResults {
  const file = fileURLToPath(new URL('../../docs/results/latest.json', import.meta.url));
  const results: BenchResults = JSON.parse(readFileSync(file, 'utf8'));
  return { ...results, cells: withAddedRows(results.cells) };
}

describe('a profile added to the list', () => {
  it('is a row of the matrix in every workload, on both drivers, and of the fault suite', () => {
    const options = parseBenchOptions([]);
    expect(options.strategies).toContain(ADDED);
    for (const workload of WORKLOAD_NAMES) {
      expect(rowsFor(workload, options.strategies), workload).toContain(ADDED);
    }
    const alone = parseBenchOptions([`--strategies=${ADDED}`, '--workloads=db']);
    expect(roundCount(alone)).toBe(2 * (alone.passes + 1));
    expect(faultOptionsFromBench(options).strategies).toContain(ADDED);
  });

  it("has its rows in the report's tables and a bar in every chart, in its colour", () => {
    const results = resultsWithAdded();
    const report = reportMarkdown(results, []);
    expect(report).toMatch(new RegExp(`^\\| ${ADDED} \\|`, 'm'));
    for (const { file, svg } of charts(results)) {
      expect(svg, file).toContain(ADDED);
      expect(svg, file).toContain('#00897b');
    }
  });

  it('is measured by the micro layer in the operations its traits call for', async () => {
    await using subjects = await createMicroSubjects('sqlite', undefined);
    const rows = Object.fromEntries(
      microOperations(subjects).map((operation) => [
        operation.name,
        operation.rows.map((row) => row.name),
      ]),
    );
    // A connection per scope, not pooled: per-request's operations.
    expect(rows.query).toContain(ADDED);
    expect(rows['request-opening']).toContain(ADDED);
    expect(rows.scope).toContain(ADDED);
    expect(rows.request).not.toContain(ADDED);
    expect(rows['query-opening']).not.toContain(ADDED);
  });
});
