import { describe, expect, it } from 'vitest';
import { microReport } from '../src/micro/micro-report.js';
import type { MicroResults, MicroRowResult } from '../src/micro/micro-results.js';
import type { RatioInterval } from '../src/shared/paired-ratio.js';

function row(name: string, us: number): MicroRowResult {
  return {
    name,
    usPerOp: [us],
    cpuUsPerOp: [us],
    iterations: [100],
    median: us,
    low: us,
    high: us,
    cpu: us,
    promisesPerOp: 1,
  };
}

function ratio(median: number, low: number, high: number): RatioInterval {
  return { median, low, high, pairs: 20, resolved: low > 1 || high < 1 };
}

/** One PostgreSQL run: a driver query of 50 µs, and scoped-session's request at `scoped` over baseline. */
function results(scoped: RatioInterval, extraUs: number): MicroResults {
  return {
    kind: 'micro',
    startedAt: '2026-12-07T00:00:00.000Z',
    finishedAt: '2026-12-07T00:01:00.000Z',
    machine: { cpus: 2, cpuModel: 'test', memoryGiB: 4, node: 'v20.0.0', platform: 'linux x64' },
    load: { start: [1, 1, 1], end: [1, 1, 1] },
    plan: { quick: false, blocks: 20, blockMs: 40, minIterations: 3 },
    drivers: [
      {
        driver: 'postgres',
        server: 'embedded',
        operations: [
          { name: 'query', description: 'a query', rows: [row('driver', 50)], comparisons: [] },
          {
            name: 'request',
            description: 'a request',
            rows: [row('baseline', 80), row('scoped-session', 80 + extraUs)],
            comparisons: [
              {
                subject: 'scoped-session',
                reference: 'baseline',
                ratio: scoped,
                cpuRatio: scoped,
                extraUs: { median: extraUs, low: extraUs, high: extraUs },
              },
            ],
          },
        ],
      },
    ],
  };
}

describe('microReport', () => {
  it("says what a target missed by the server's work is, in round trips of the driver's query", () => {
    const report = microReport(results(ratio(1.8, 1.78, 1.83), 65));
    expect(report).toContain('Where a target is missed by work on the server:');
    expect(report).toMatch(
      /PostgreSQL, scoped-session's scope per request: scoped-session costs \+65\.0 µs per request over baseline because its unit of work is a transaction: BEGIN before the first query and ROLLBACK/,
    );
    expect(report).toContain('takes 50.0 µs here, so that is 1.3 of its round trips');
  });

  it('says nothing of the kind where the target is met or unresolved', () => {
    expect(microReport(results(ratio(1.1, 1.05, 1.15), 8))).not.toContain('work on the server');
    expect(microReport(results(ratio(1.25, 1.2, 1.3), 20))).not.toContain('work on the server');
  });
});
