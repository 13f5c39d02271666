import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { prepareRuntimes } from '@lifetimes/runtimes';
import { faultOptionsFromBench } from './faults/options.js';
import { runFaultSuite } from './faults/suite.js';
import { fleetOptionsFromBench, fleetSectionOptions } from './fleet/fleet-options.js';
import { fleetSummary } from './fleet/fleet-report.js';
import { runFleetBench } from './fleet/run-fleet-bench.js';
import { writeFleetResults } from './fleet/write-fleet-results.js';
import { parseBenchOptions, USAGE } from './matrix/options.js';
import { runBench } from './matrix/run.js';
import { summaryTable } from './matrix/summary-table.js';
import { writeResults } from './matrix/write.js';
import { measureMicro } from './micro/measure-micro.js';
import { microOptionsFromBench } from './micro/micro-options.js';
import { runRuntimePairs } from './micro/run-runtimes.js';
import { BenchUsageError } from './shared/flags.js';
import { formatRatio } from './shared/paired-ratio.js';
import { pinsApps } from './shared/pins-apps.js';
import { runViewerBench, writeViewerResults } from './viewer/run-viewer-bench.js';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * `turbo bench`: runs the matrix, writes the results, prints where they
 * are, and exits 1 when any strategy served a wrong answer or failed a
 * check (a benchmark that is fast and wrong has failed). The micro layer
 * follows the matrix unless --no-micro. With --faults the
 * fault suite runs next, and any expected outcome it misses fails the run too.
 */
async function main(): Promise<number> {
  if (process.argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let options: ReturnType<typeof parseBenchOptions>;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    if (error instanceof BenchUsageError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (options.fleet) return fleet(options);
  if (options.node) return runtimes(options, options.node);
  if (pinsApps(options.pin)) {
    // The load generator runs in this process, and the viewer of --viewer
    // in a child of it: keep them off the app's core.
    spawnSync('taskset', ['-apc', '1', String(process.pid)], { stdio: 'ignore' });
  }
  if (options.viewer) return viewer(options);
  const results = await runBench(options);
  const written = await writeResults(results, options.resultsDir, options.docsDir);
  const failed = results.cells.filter((cell) => !cell.passed);
  process.stdout.write(summaryTable(results));
  process.stdout.write(
    written.report
      ? `\nResults: ${written.json}\nReport:  ${written.report}\nCharts:  ${written.charts.length} SVG files beside the report\n`
      : `\nResults: ${written.json}\nNo report written (a quick run writes one only with --docs=DIR).\n`,
  );
  if (failed.length > 0) {
    process.stderr.write(
      `\nCorrectness checks failed in ${failed.length} cell(s): ${failed
        .map((c) => `${c.strategy}/${c.driver}/${c.workload}`)
        .join(', ')}. See the report's tables and notes.\n`,
    );
  } else {
    process.stdout.write('Every correctness check passed.\n');
  }
  const benchPassed = failed.length === 0;
  if (options.micro) {
    process.stdout.write(
      '\nThe micro layer: every piece of the machinery in process, paired blocks.\n',
    );
    const micro = await measureMicro(microOptionsFromBench(options), (line) =>
      process.stdout.write(`${line}\n`),
    );
    process.stdout.write(
      `Micro results: ${micro.json}${micro.report ? `\nMicro report:  ${micro.report}` : ''}\n`,
    );
  }
  const fleetHeld = options.fleetSection ? await fleetSection(options) : true;
  if (!options.faults) return benchPassed && fleetHeld ? 0 : 1;
  const faults = faultOptionsFromBench(options);
  if (faults.strategies.length === 0) {
    process.stderr.write(
      '\n--faults: none of the selected strategies is a sample app, so the fault suite has nothing to run.\n',
    );
    return benchPassed ? 0 : 1;
  }
  // The fault suite's apps are children of this process and would inherit its one core.
  if (options.pin) unpin();
  const faultsHeld = await runFaultSuite(faults);
  return benchPassed && fleetHeld && faultsHeld ? 0 : 1;
}

/** Lets this process, and the processes it starts from now on, run on every core again. */
function unpin(): void {
  if (process.platform !== 'linux') return;
  spawnSync('taskset', ['-apc', `0-${cpus().length - 1}`, String(process.pid)], {
    stdio: 'ignore',
  });
}

/**
 * The default run's fleet section, on PostgreSQL: whether every fleet
 * check held. Left out when PostgreSQL or both section strategies are.
 */
async function fleetSection(options: ReturnType<typeof parseBenchOptions>): Promise<boolean> {
  const section = fleetSectionOptions(options);
  if (!options.drivers.includes('postgres') || section.strategies.length === 0) return true;
  // A fleet is many processes: they would inherit this process's one core.
  if (options.pin) unpin();
  process.stdout.write(
    `\nA fleet: ${section.strategies.join(' and ')} as 1 and 4 processes against one PostgreSQL, direct and through PgBouncer (the full run: --fleet).\n`,
  );
  const results = await runFleetBench(section, (line) => process.stderr.write(`${line}\n`));
  const written = await writeFleetResults(results, section.resultsDir, undefined);
  process.stdout.write(`${fleetSummary(results)}Fleet results: ${written.json}\n`);
  process.stdout.write(
    results.passed
      ? 'Every fleet check passed.\n'
      : 'Some fleet checks failed: see the lines above.\n',
  );
  return results.passed;
}

/** --fleet: the fleet bench alone; exits 1 when any fleet missed what it must hold. */
async function fleet(options: ReturnType<typeof parseBenchOptions>): Promise<number> {
  const fleetOptions = fleetOptionsFromBench(options);
  if (fleetOptions.strategies.length === 0) {
    process.stderr.write('--fleet: none of the selected strategies is a sample app.\n');
    return 2;
  }
  const results = await runFleetBench(fleetOptions, (line) => process.stderr.write(`${line}\n`));
  const written = await writeFleetResults(results, fleetOptions.resultsDir, fleetOptions.docsDir);
  process.stdout.write(
    `\nFleet results: ${written.json}\n${written.report ? `Fleet report:  ${written.report}\n` : 'No report written (a quick run writes one only with --docs=DIR).\n'}`,
  );
  process.stdout.write(
    results.passed ? 'Every fleet check passed.\n' : 'Some fleet checks failed: see the report.\n',
  );
  return results.passed ? 0 : 1;
}

/**
 * --node: the runtime comparison instead of the matrix: the micro layer in
 * pairs of runs, then every chosen row over HTTP in pairs of rounds, under
 * each runtime; exits 1 when any request under any runtime failed.
 */
async function runtimes(
  options: ReturnType<typeof parseBenchOptions>,
  majors: readonly number[],
): Promise<number> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  process.stdout.write(
    `Under Node ${majors.join(' and ')}: the micro layer in pairs of runs, then each row's app over HTTP in pairs of /db rounds.\n`,
  );
  const prepared = await prepareRuntimes(majors, REPOSITORY_ROOT, log);
  const { results, json, report } = await runRuntimePairs(
    prepared,
    {
      ...microOptionsFromBench(options),
      http: {
        strategies: options.strategies,
        drivers: options.drivers,
        roundSec: options.roundSec,
        pairs: options.passes,
        connections: options.connections,
        warmupWindowSec: options.warmupWindowSec,
        warmupMaxSec: options.warmupMaxSec,
      },
    },
    log,
  );
  process.stdout.write(
    `\nRuntime results: ${json}\n${report ? `Runtime report:  ${report}\n` : 'No report written (a quick run writes one only with --docs=DIR).\n'}`,
  );
  const failed = results.http?.cells.filter((cell) => !cell.passed) ?? [];
  if (failed.length > 0) {
    process.stderr.write(
      `Requests failed over HTTP in: ${failed.map((cell) => `${cell.strategy}/${cell.driver}`).join(', ')}.\n`,
    );
    return 1;
  }
  process.stdout.write('Every request under every runtime was answered correctly.\n');
  return 0;
}

/** --viewer: what an attached live view costs each app; reports the paired ratios. */
async function viewer(options: ReturnType<typeof parseBenchOptions>): Promise<number> {
  const results = await runViewerBench(options, (line) => process.stderr.write(`${line}\n`));
  if (results.cells.length === 0) {
    process.stderr.write('--viewer: none of the selected strategies is a sample app.\n');
    return 2;
  }
  const json = await writeViewerResults(results, options.resultsDir, options.docsDir);
  for (const cell of results.cells) {
    process.stdout.write(
      `${cell.strategy.padEnd(16)} ${cell.driver.padEnd(9)} throughput ${formatRatio(cell.rateRatio)}  CPU/request ${formatRatio(cell.cpuRatio)}  ${cell.eventsPerRequest.toFixed(1)} events/request\n`,
    );
  }
  process.stdout.write(`\nViewer results: ${json}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `The benchmark stopped: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exit(1);
  },
);
