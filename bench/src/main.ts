import { spawnSync } from 'node:child_process';
import { BenchUsageError, parseBenchOptions, USAGE } from './bench-options.js';
import { runBench } from './run-bench.js';
import { summaryTable } from './summary-table.js';
import { writeResults } from './write-results.js';

/**
 * `turbo bench`: runs the matrix, writes the results, prints where they
 * are, and exits 1 when any strategy served a wrong answer or failed a
 * check (a benchmark that is fast and wrong has failed).
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
  if (options.pin && process.platform === 'linux') {
    // The load generator runs in this process: keep it off the app's core.
    spawnSync('taskset', ['-apc', '1', String(process.pid)], { stdio: 'ignore' });
  }
  const results = await runBench(options);
  const written = await writeResults(results, options.resultsDir, options.docsDir);
  const failed = results.cells.filter((cell) => !cell.passed);
  process.stdout.write(summaryTable(results));
  process.stdout.write(
    `\nResults: ${written.json}\nReport:  ${written.report}\nCharts:  ${written.charts.length} SVG files beside the report\n`,
  );
  if (failed.length > 0) {
    process.stderr.write(
      `\nCorrectness checks failed in ${failed.length} cell(s): ${failed
        .map((c) => `${c.strategy}/${c.driver}/${c.workload}`)
        .join(', ')}. See the report's tables and notes.\n`,
    );
    return 1;
  }
  process.stdout.write('Every correctness check passed.\n');
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
