import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { faultReport } from './fault-report.js';
import type { FaultResults } from './fault-results.js';

/**
 * The run's JSON under resultsDir (faults-<start time>.json), and the
 * markdown report as faults.md under docsDir, beside the benchmark's.
 */
export async function writeFaultResults(
  results: FaultResults,
  resultsDir: string,
  docsDir: string | undefined,
): Promise<{ json: string; report: string | undefined }> {
  await mkdir(resultsDir, { recursive: true });
  const stamp = results.startedAt.replaceAll(':', '-').replace(/\.\d+Z$/, 'Z');
  const json = join(resultsDir, `faults-${stamp}.json`);
  await writeFile(json, `${JSON.stringify(results, null, 2)}\n`);
  if (docsDir === undefined) return { json, report: undefined };
  await mkdir(docsDir, { recursive: true });
  const report = join(docsDir, 'faults.md');
  await writeFile(report, faultReport(results));
  return { json, report };
}
