import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeRunJson } from '../shared/write-run-json.js';
import { charts } from './charts.js';
import { reportMarkdown } from './report.js';
import type { BenchResults } from './results.js';

export interface Written {
  readonly json: string;
  /** The report and charts, when a docs directory was given. */
  readonly report: string | undefined;
  readonly charts: readonly string[];
}

/**
 * The run's JSON under resultsDir (one file per run, named by its start
 * time), and, when docsDir is given, the latest report, JSON and charts
 * there, which the docs link to and the repository shows.
 */
export async function writeResults(
  results: BenchResults,
  resultsDir: string,
  docsDir: string | undefined,
): Promise<Written> {
  const { json, body } = await writeRunJson(resultsDir, '', results.startedAt, results);
  if (docsDir === undefined) return { json, report: undefined, charts: [] };
  await mkdir(docsDir, { recursive: true });
  await writeFile(join(docsDir, 'latest.json'), body);
  const drawn = charts(results);
  for (const { file, svg } of drawn) await writeFile(join(docsDir, file), svg);
  const report = join(docsDir, 'README.md');
  await writeFile(
    report,
    reportMarkdown(
      results,
      drawn.map((c) => c.file),
    ),
  );
  return { json, report, charts: drawn.map((c) => join(docsDir, c.file)) };
}
