import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseBenchOptions, repoRoot } from './bench-options.js';
import type { BenchResults } from './results.js';
import { writeResults } from './write-results.js';

/**
 * Redraws the report and charts from a results file without running
 * anything: `npm run report -w @lifetimes/bench -- bench/results/<file>.json`.
 */
const file = process.argv.slice(2).find((arg) => arg.endsWith('.json'));
if (!file) {
  process.stderr.write(
    'Name a results file: npm run report -w @lifetimes/bench -- bench/results/<timestamp>.json\n',
  );
  process.exit(2);
}
const results = JSON.parse(readFileSync(resolve(file), 'utf8')) as BenchResults;
const options = parseBenchOptions(process.argv.slice(2).filter((arg) => !arg.endsWith('.json')));
const written = await writeResults(
  results,
  options.resultsDir,
  options.docsDir ?? resolve(repoRoot(), 'docs/results'),
);
process.stdout.write(`Report: ${written.report}\n`);
