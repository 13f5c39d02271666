import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { FleetResults } from '../fleet/fleet-results.js';
import { writeFleetResults } from '../fleet/write-fleet-results.js';
import { repoRoot } from '../shared/repo-root.js';
import { parseBenchOptions } from './options.js';
import type { BenchResults } from './results.js';
import { writeResults } from './write.js';

/**
 * Redraws the report and charts from a results file without running
 * anything: `npm run report -w @lifetimes/bench -- bench/results/<file>.json`;
 * a fleet run's file (`fleet-<start>.json`) redraws fleet.md and its chart.
 */
const file = process.argv.slice(2).find((arg) => arg.endsWith('.json'));
if (!file) {
  process.stderr.write(
    'Name a results file: npm run report -w @lifetimes/bench -- bench/results/<timestamp>.json\n',
  );
  process.exit(2);
}
const options = parseBenchOptions(process.argv.slice(2).filter((arg) => !arg.endsWith('.json')));
const docsDir = options.docsDir ?? resolve(repoRoot(), 'docs/results');
const data = JSON.parse(readFileSync(resolve(file), 'utf8')) as unknown;
const written = basename(file).startsWith('fleet-')
  ? await writeFleetResults(data as FleetResults, options.resultsDir, docsDir)
  : await writeResults(data as BenchResults, options.resultsDir, docsDir);
process.stdout.write(`Report: ${written.report}\n`);
