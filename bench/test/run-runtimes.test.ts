import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTempDir, type TempDir } from '@lifetimes/databases';
import { machineRuntime, type NodeRuntime, type PreparedRuntimes } from '@lifetimes/runtimes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRuntimePairs } from '../src/micro/run-runtimes.js';
import type { RuntimesResults } from '../src/micro/runtimes-report.js';

/**
 * The machine's Node under two names: every run is a real micro layer in a
 * process of its own, without fetching another runtime. Fetching and
 * building one are proved by npm run test:runtimes.
 */
describe('runRuntimePairs', () => {
  const machine = machineRuntime();
  const twin: NodeRuntime = { ...machine, version: `${machine.version}-twin` };
  const order: string[] = [];
  const prepared: PreparedRuntimes = {
    runtimes: [machine, twin],
    under: (runtime, work) => {
      order.push(runtime.version);
      return work();
    },
  };
  let out: TempDir;
  let results: RuntimesResults;
  let report: string | undefined;
  const lines: string[] = [];

  beforeAll(async () => {
    out = await createTempDir('lifetimes-runtimes-test');
    ({ results, report } = await runRuntimePairs(
      prepared,
      {
        pairs: 2,
        blocks: 1,
        blockMs: 5,
        drivers: ['sqlite'],
        operations: ['scope'],
        resultsDir: join(out.path, 'results'),
        docsDir: join(out.path, 'docs'),
      },
      (line) => lines.push(line),
    ));
  });
  afterAll(() => out?.remove());

  it('runs each pair on both runtimes, the order reversed every other pair, a line per run', () => {
    expect(order).toEqual([machine.version, twin.version, twin.version, machine.version]);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatch(/^run 4\/4: pair 2, Node /);
  });

  it('has every row of the operation on both runtimes, with a ratio over both pairs', () => {
    const { comparison } = results;
    expect(comparison.versions).toEqual([machine.version, twin.version]);
    expect(comparison.pairs).toBe(2);
    const rows = comparison.rows.filter((row) => row.operation === 'scope');
    expect(rows.map((row) => row.row)).toContain('pooled-registry');
    for (const row of rows) {
      for (const us of row.usPerOp) expect(us, row.row).toBeGreaterThan(0);
      expect(row.ratios[0]?.pairs, row.row).toBe(2);
      // The same Node makes the same promises under either name.
      expect(row.promisesPerOp[0], row.row).toBe(row.promisesPerOp[1]);
    }
    expect(comparison.lifetimes.length).toBeGreaterThan(0);
  });

  it('writes the report with a column per runtime', () => {
    const text = readFileSync(report ?? '', 'utf8');
    expect(text).toContain('# What the runtime changes');
    expect(text).toContain(`| Node ${twin.version} / Node ${machine.version} |`);
    expect(text).toMatch(/\| pooled-registry \| [\d.]+ \| [\d.]+ \| /);
  });

  it('stops with what the run printed when a run fails', async () => {
    await expect(
      runRuntimePairs(
        prepared,
        {
          pairs: 1,
          blocks: 1,
          blockMs: 5,
          drivers: ['sqlite'],
          operations: ['no-such-operation'],
          resultsDir: join(out.path, 'failed'),
          docsDir: undefined,
        },
        () => {},
      ),
    ).rejects.toThrow(
      /ended with exit code 2\. Its last output:\n[\s\S]*Unknown operation "no-such-operation"/,
    );
  });
});
