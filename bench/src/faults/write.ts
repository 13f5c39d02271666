import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeRunJson } from '../shared/write-run-json.js';
import { faultReport } from './report.js';
import type { FaultResults } from './results.js';

/**
 * The run's JSON under resultsDir (faults-<start time>.json), and the
 * markdown report as faults.md under docsDir, beside the benchmark's.
 */
export async function writeFaultResults(
  results: FaultResults,
  resultsDir: string,
  docsDir: string | undefined,
): Promise<{ json: string; report: string | undefined }> {
  const { json } = await writeRunJson(resultsDir, 'faults-', results.startedAt, results);
  if (docsDir === undefined) return { json, report: undefined };
  await mkdir(docsDir, { recursive: true });
  const report = join(docsDir, 'faults.md');
  await writeFile(report, faultReport(results));
  return { json, report };
}
