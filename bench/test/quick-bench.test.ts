import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTempDir, type TempDir } from '@lifetimes/databases';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBenchOptions } from '../src/matrix/options.js';
import type { BenchResults } from '../src/matrix/results.js';
import { STRATEGIES } from '../src/shared/rows.js';
import { type EntryRun, runEntry } from './support/run-entry.js';

/**
 * The whole pipeline in quick mode: every app on both drivers, load,
 * checks, JSON, report and charts. PostgreSQL is PG_URL when set, or the
 * bench's own embedded server (which loads pg_stat_statements).
 */
describe('turbo bench --quick', () => {
  let out: TempDir;
  let run: EntryRun;
  const workloads = ['db', 'transfer', 'tenants-over', 'tenants-under'];

  beforeAll(async () => {
    out = await createTempDir('lifetimes-bench-test');
    run = await runEntry('src/main.ts', [
      '--quick',
      `--workloads=${workloads.join(',')}`,
      '--round=0.2',
      '--warmup=0.4',
      `--docs=${join(out.path, 'docs')}`,
      `--results=${join(out.path, 'results')}`,
    ]);
  }, 300_000);
  afterAll(() => out?.remove());

  const readResults = (): BenchResults => {
    const files = readdirSync(join(out.path, 'results'));
    expect(files).toHaveLength(1);
    return JSON.parse(
      readFileSync(join(out.path, 'results', files[0] ?? ''), 'utf8'),
    ) as BenchResults;
  };

  it('finishes, passes every correctness check and exits 0', () => {
    // Each failed check with what it saw: the report that holds them is removed with the folder.
    const { rounds, appRuns } = readResults();
    const failed = [...rounds, ...appRuns]
      .filter((run) => Object.values(run.checks).includes('fail'))
      .map(
        (run) =>
          `${run.strategy}/${run.driver}${'workload' in run ? `/${run.workload}` : ''}: ${JSON.stringify(run.checks)} ${run.notes.join('; ')}`,
      );
    expect(failed).toEqual([]);
    expect(run.stderr + run.stdout).toContain('Every correctness check passed.');
    expect(run.code).toBe(0);
  });

  it("prints the plan's estimate, a progress line with the time left for each round, then a table", () => {
    expect(run.stderr).toMatch(
      /^Plan: 7 rows × 4 workloads × 2 driver\(s\), 2 passes .*: about \d+ (s|min)\.$/m,
    );
    expect(run.stderr).toMatch(/\[1\/\d+\] sqlite · db · calibrate · driver-floor/);
    expect(run.stderr).toMatch(/sqlite · db · pass 2\/2 · driver-floor/);
    expect(run.stderr).toMatch(/about \d+ (s|min) left/);
    expect(run.stderr).toMatch(/sqlite · baseline: warm after \d+\.\d s/);
    expect(run.stdout).toMatch(/postgres req\/s\s+db\s+transfer/);
    expect(run.stdout).toMatch(
      /\nper-query\s+(\d+ (×\d\.\d\d|≈1 \(not resolved\)) \[|none finished)/,
    );
  });

  it('writes one JSON per run with every cell of the matrix', () => {
    const results = readResults();
    expect(results.passed).toBe(true);
    for (const strategy of STRATEGIES) {
      for (const driver of ['sqlite', 'postgres']) {
        for (const workload of workloads) {
          // Only the registry serves tenants; the other apps refuse x-tenant, by design.
          if (strategy !== 'pooled-registry' && workload.startsWith('tenants')) continue;
          const cell = results.cells.find(
            (c) => c.strategy === strategy && c.driver === driver && c.workload === workload,
          );
          // The driver floor serves /db and /queries only.
          if (strategy === 'driver-floor' && workload !== 'db') {
            expect(cell, `${strategy}/${driver}/${workload}`).toBeUndefined();
            continue;
          }
          expect(cell, `${strategy}/${driver}/${workload}`).toBeDefined();
          expect(cell?.finished).toBe(true);
          expect(cell?.requestsPerSec?.median).toBeGreaterThan(0);
        }
      }
    }
    const perQuery = results.cells.find(
      (c) => c.strategy === 'per-query' && c.driver === 'postgres' && c.workload === 'db',
    );
    const baseline = results.cells.find(
      (c) => c.strategy === 'baseline' && c.driver === 'postgres' && c.workload === 'db',
    );
    // The lifetime shows in the counts whatever the timing noise: per-query
    // connects for every request, the pooled baseline almost never.
    expect(perQuery?.connectionsPerRequest?.median).toBeCloseTo(1, 2);
    expect(baseline?.connectionsPerRequest?.median).toBeLessThan(0.2);
    // The baseline against itself: every pair is exactly 1, so nothing is resolved.
    expect(baseline?.ratioToBaseline).toMatchObject({ median: 1, resolved: false, pairs: 2 });
    expect(perQuery?.ratioToBaseline?.pairs).toBe(2);
    // Per-round samples stay in the JSON, each with its measured duration.
    const rounds = results.rounds.filter(
      (r) => r.strategy === 'per-query' && r.driver === 'postgres' && r.workload === 'db',
    );
    expect(rounds.map((r) => r.pass)).toEqual([1, 2]);
    for (const round of rounds) {
      expect(round.load.durationSec).toBeGreaterThan(0);
      expect(round.load.requestsPerSec).toBeCloseTo(round.load.ok / round.load.durationSec, 6);
    }
    expect(results.appRuns.every((r) => r.warmupSec > 0)).toBe(true);
    // The bench's own embedded server loads pg_stat_statements; a PG_URL server may not.
    if (!process.env.PG_URL) expect(baseline?.checks.statementCount).toBe('pass');
    // Fewer tenants than the registry's cap: warm pools. More, round-robin:
    // every request evicts a pool and opens a new one.
    const tenants = (workload: string) =>
      results.cells.find(
        (c) => c.strategy === 'pooled-registry' && c.driver === 'sqlite' && c.workload === workload,
      )?.connectionsPerRequest?.median ?? Number.NaN;
    expect(tenants('tenants-under')).toBeLessThan(0.05);
    expect(tenants('tenants-over')).toBeGreaterThan(0.2);
  });

  it('writes the markdown report and one chart per metric and driver', () => {
    const docs = join(out.path, 'docs');
    const report = readFileSync(join(docs, 'README.md'), 'utf8');
    expect(report).toContain('### Throughput: requests/s (ratio to baseline, 95% interval)');
    expect(report).toContain('### CPU per request: app process · database server (µs)');
    expect(report).toContain('| per-request |');
    expect(report).toContain('| driver-floor |');
    for (const metric of [
      'throughput',
      'ratio-to-baseline',
      'cpu-per-request',
      'connections-per-request',
      'latency-p99',
    ]) {
      for (const driver of ['sqlite', 'postgres']) {
        const file = join(docs, `${metric}-${driver}.svg`);
        expect(existsSync(file), file).toBe(true);
        const svg = readFileSync(file, 'utf8');
        expect(svg.startsWith('<svg')).toBe(true);
        expect(svg).toContain('per-query');
        expect(report).toContain(`(${metric}-${driver}.svg)`);
      }
    }
    expect(existsSync(join(docs, 'latest.json'))).toBe(true);
  });
});

describe('turbo bench --quick without --docs', () => {
  it('leaves docs/ alone: its numbers are not meant for the course', () => {
    const options = parseBenchOptions(['--quick']);
    expect(options.docsDir).toBeUndefined();
  });
});
