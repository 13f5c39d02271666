import type { FaultOptions } from './options.js';
import { runFaults } from './run.js';
import { faultTable } from './table.js';
import { writeFaultResults } from './write.js';

/**
 * Runs the fault suite, writes its results, prints the table and where the
 * files are, and says whether every expected outcome held.
 */
export async function runFaultSuite(options: FaultOptions): Promise<boolean> {
  const results = await runFaults(options);
  const written = await writeFaultResults(results, options.resultsDir, options.docsDir);
  process.stdout.write(faultTable(results));
  process.stdout.write(
    `\nFault results: ${written.json}\n` +
      (written.report
        ? `Fault report:  ${written.report}\n`
        : 'Fault report:  not written (a quick run writes one only with --docs=DIR)\n'),
  );
  const failed = results.outcomes.filter((o) => !o.passed);
  if (failed.length > 0) {
    process.stderr.write(
      `\nExpected outcomes failed in ${failed.length} case(s): ${failed
        .map((o) => `${o.scenario} on ${o.strategy}/${o.driver}`)
        .join(', ')}. The FAIL lines above and the report say what was measured.\n`,
    );
    return false;
  }
  process.stdout.write('Every expected outcome of the fault suite held.\n');
  return true;
}
