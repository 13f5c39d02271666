import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeRunJson } from '../shared/write-run-json.js';
import { FLEET_CHART, fleetChart, fleetReport } from './fleet-report.js';
import type { FleetResults } from './fleet-results.js';

/**
 * The run's JSON under resultsDir (`fleet-<start>.json`); with docsDir,
 * fleet.json (which the course quotes), fleet.md and its chart there.
 */
export async function writeFleetResults(
  results: FleetResults,
  resultsDir: string,
  docsDir: string | undefined,
): Promise<{ json: string; report: string | undefined }> {
  const { json, body } = await writeRunJson(resultsDir, 'fleet-', results.startedAt, results);
  if (docsDir === undefined) return { json, report: undefined };
  await mkdir(docsDir, { recursive: true });
  await writeFile(join(docsDir, 'fleet.json'), body);
  await writeFile(join(docsDir, FLEET_CHART), fleetChart(results));
  const report = join(docsDir, 'fleet.md');
  await writeFile(report, fleetReport(results));
  return { json, report };
}
