import { describe, expect, it } from 'vitest';
import type { MicroResults, MicroRowResult } from '../src/micro/micro-results.js';
import { compareRuntimes, type RuntimeRun } from '../src/micro/runtime-comparison.js';

/** A row whose every block took `us` µs. */
function row(name: string, us: number, blocks = 4, promises = 10): MicroRowResult {
  const usPerOp = Array.from({ length: blocks }, () => us);
  return {
    name,
    usPerOp,
    cpuUsPerOp: usPerOp,
    iterations: usPerOp.map(() => 100),
    median: us,
    low: us,
    high: us,
    cpu: us,
    promisesPerOp: promises,
  };
}

/** One run: a request op where baseline takes `base` µs and the registry `registry` µs. */
function run(version: string, pair: number, base: number, registry: number): RuntimeRun {
  const results = {
    kind: 'micro',
    drivers: [
      {
        driver: 'sqlite',
        server: undefined,
        operations: [
          {
            name: 'request',
            description: 'a request',
            rows: [row('baseline', base), row('pooled-registry', registry, 4, 12)],
            comparisons: [
              {
                subject: 'pooled-registry',
                reference: 'baseline',
                ratio: null,
                cpuRatio: null,
                extraUs: null,
              },
            ],
          },
        ],
      },
    ],
  } as unknown as MicroResults;
  return { version, pair, results };
}

describe('compareRuntimes', () => {
  // The machine drifts from pair to pair (×1, ×2, ×1.5), on both runtimes alike.
  const runs = [
    run('20.0.0', 0, 10, 13),
    run('24.0.0', 0, 5, 5.5),
    run('24.0.0', 1, 10, 11),
    run('20.0.0', 1, 20, 26),
    run('20.0.0', 2, 15, 19.5),
    run('24.0.0', 2, 7.5, 8.25),
  ];
  const comparison = compareRuntimes(['20.0.0', '24.0.0'], runs);

  it('takes a row ratio per pair, so the drift between pairs cancels', () => {
    const baseline = comparison.rows.find((r) => r.row === 'baseline');
    expect(comparison.pairs).toBe(3);
    expect(baseline?.usPerOp).toEqual([15, 7.5]);
    expect(baseline?.ratios[0]).toMatchObject({ median: 0.5, low: 0.5, high: 0.5, pairs: 3 });
    expect(baseline?.ratios[0]?.resolved).toBe(true);
    expect(comparison.rows.find((r) => r.row === 'pooled-registry')?.promisesPerOp).toEqual([
      12, 12,
    ]);
  });

  it("compares each lifetime with its reference within each runtime, over all that runtime's blocks", () => {
    const [lifetime] = comparison.lifetimes;
    expect(lifetime).toMatchObject({ subject: 'pooled-registry', reference: 'baseline' });
    expect(lifetime?.ratios[0]?.median).toBeCloseTo(1.3);
    expect(lifetime?.ratios[0]?.pairs).toBe(12);
    expect(lifetime?.ratios[1]?.median).toBeCloseTo(1.1);
  });

  it('says not resolved when the runtimes are not told apart', () => {
    const even = compareRuntimes(
      ['20.0.0', '24.0.0'],
      [
        run('20.0.0', 0, 10, 13),
        run('24.0.0', 0, 11, 13),
        run('24.0.0', 1, 9, 13),
        run('20.0.0', 1, 10, 13),
      ],
    );
    expect(even.rows.find((r) => r.row === 'baseline')?.ratios[0]?.resolved).toBe(false);
  });

  it('leaves a row out of a pair where one runtime did not measure it, and has no ratio when no pair is left', () => {
    const missing = run('24.0.0', 0, 5, 5.5);
    const onlyBaseline = {
      ...missing,
      results: {
        ...missing.results,
        drivers: missing.results.drivers.map((driver) => ({
          ...driver,
          operations: driver.operations.map((op) => ({
            ...op,
            rows: op.rows.filter((r) => r.name === 'baseline'),
          })),
        })),
      },
    };
    const partial = compareRuntimes(['20.0.0', '24.0.0'], [run('20.0.0', 0, 10, 13), onlyBaseline]);
    const registry = partial.rows.find((r) => r.row === 'pooled-registry');
    expect(registry?.ratios[0]).toBeNull();
    expect(Number.isNaN(registry?.usPerOp[1])).toBe(true);
    expect(partial.lifetimes[0]?.ratios[1]).toBeNull();
  });
});
