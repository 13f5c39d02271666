import { markdownTable as table } from '../shared/markdown-table.js';
import type { Driver } from '../shared/rows.js';
import type { FigureValue } from './fault-scenario.js';
import { FIGURE_LABELS } from './figure-labels.js';
import type { FaultResults } from './results.js';
import { SCENARIOS } from './scenarios.js';
import { survivalRows } from './survival.js';

const DRIVER_NAMES: Record<Driver, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

function show(value: FigureValue | undefined): string {
  return value === undefined ? '–' : String(value);
}

/** The markdown report: the per-strategy summary, then each scenario with its figures, then what is not measured yet. */
export function faultReport(results: FaultResults): string {
  const { machine, method } = results;
  const drivers = (['sqlite', 'postgres'] as const).filter((d) =>
    results.outcomes.some((o) => o.driver === d),
  );
  const out: string[] = [
    '# Fault suite results',
    '',
    results.passed
      ? 'Every expected outcome held, on every strategy where it applies.'
      : '**Some expected outcomes did not hold: see the failures under each scenario.**',
    '',
    `Run ${results.startedAt} to ${results.finishedAt} on ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}; PostgreSQL: ${method.postgres}` +
      `${method.quick ? '; **quick mode: short phases, figures are not meaningful beyond pass or fail**' : ''}. ` +
      'Every figure below was measured in this run. Each scenario runs on every sample app that the fault applies to; ' +
      'beside its own load, a write ledger sends transfers and records what each client was told, and afterwards every balance is read straight from the database. ' +
      'A transfer answered 200 must be there; one refused (any other answer, or a connection the app refused) must not; one that got no answer, or the 503 by which the apps say a write cut off mid-way may or may not have been applied, may be there or not, but only whole. ' +
      'Run it with `npm run faults -w @lifetimes/bench` (or `npx turbo bench -- --faults` after the benchmark); `--quick` is the variant CI runs.',
  ];
  for (const driver of drivers) {
    const scenarios = results.scenarios.filter((s) => s.drivers.includes(driver));
    const rows = survivalRows(results, driver, scenarios, { missing: '–', failed: '**FAIL** ' });
    out.push(
      '',
      `## ${DRIVER_NAMES[driver]}: what survived, per strategy`,
      '',
      table(
        [
          'strategy',
          ...scenarios.map((s) => `${s.number}. ${s.title}`),
          'connections leaked',
          'writes lost',
        ],
        rows,
      ),
    );
  }
  out.push(
    '',
    '"connections leaked" adds up, over all scenarios, the connections held for no request or open beyond what the strategy keeps idle once the load drained, the backends left on the server, and those still open when the app exited. "writes lost" counts the accounts whose balance the write ledger could not explain, over all scenarios: 0 means every acknowledged transfer was in the database, no refused one was, and the total never changed.',
  );
  for (const scenario of results.scenarios) {
    const columns = SCENARIOS[scenario.name].columns;
    const outcomes = results.outcomes.filter((o) => o.scenario === scenario.name);
    if (outcomes.length === 0) continue;
    out.push(
      '',
      `## ${scenario.number}. ${scenario.title}`,
      '',
      `**Setup.** ${scenario.setup}`,
      '',
      `**Fault.** ${scenario.fault}`,
      '',
      `**Expected.** ${scenario.expected}`,
      '',
      `**Figure.** ${scenario.figure}`,
    );
    const byDesign = Object.entries(scenario.byDesign);
    if (byDesign.length > 0) {
      out.push(
        '',
        '**By design.** Where a strategy cannot hold the expectation as written, what it does instead (and what is asserted):',
        '',
        ...byDesign.map(([strategy, why]) => `- \`${strategy}\` ${why}`),
      );
    }
    out.push(
      '',
      table(
        [
          'strategy',
          'driver',
          ...columns.map((key) => FIGURE_LABELS[key]),
          'transfers ack / refused / unknown',
          'result',
        ],
        outcomes.map((o) => [
          o.strategy,
          DRIVER_NAMES[o.driver],
          ...columns.map((key) => show(o.figures[key])),
          `${show(o.figures.acknowledged)} / ${show(o.figures.refused)} / ${show(o.figures.unknown)}`,
          o.passed ? 'pass' : '**FAIL**',
        ]),
      ),
    );
    const failures = outcomes.flatMap((o) =>
      o.expectations
        .filter((e) => !e.held)
        .map((e) => `- ${o.strategy} on ${DRIVER_NAMES[o.driver]}: ${e.name}: ${e.detail}`),
    );
    if (failures.length > 0) out.push('', 'Failed:', '', ...failures);
  }
  return `${out.join('\n')}\n`;
}
