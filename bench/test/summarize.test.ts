import { describe, expect, it } from 'vitest';
import { plan } from '../src/plan.js';
import type { AppRun, Round } from '../src/results.js';
import { allPassed, combine, spread, summarize } from '../src/summarize.js';

function round(
  strategy: Round['strategy'],
  trial: number,
  rps: number,
  bodies: Round['checks']['bodies'] = 'pass',
): Round {
  return {
    strategy,
    driver: 'sqlite',
    workload: 'db',
    trial,
    load: {
      responses: 100,
      ok: 100,
      requestsPerSec: rps,
      p50Ms: 1,
      p99Ms: 5,
      serverP50Us: undefined,
      serverP99Us: undefined,
      non2xx: 0,
      status5xx: 0,
      errors: 0,
      timeouts: 0,
      mismatches: bodies === 'fail' ? 3 : 0,
    },
    connectionsPerRequest: strategy === 'per-query' ? 1 : 0,
    peakServerConnections: undefined,
    peakRssMb: 100,
    checks: { bodies, no5xx: 'pass', totalKept: 'n/a', statementCount: 'n/a' },
    notes: [],
  };
}

const run = (strategy: AppRun['strategy']): AppRun => ({
  strategy,
  driver: 'sqlite',
  trial: 1,
  checks: { sameConnection: 'pass', idle: 'pass', drained: 'pass' },
  notes: [],
});

describe('summarize', () => {
  it('reports the median with its spread, and the ratio to the baseline of the same run', () => {
    const cells = summarize(
      [
        round('baseline', 1, 1000),
        round('baseline', 2, 1200),
        round('baseline', 3, 900),
        round('per-query', 1, 300),
        round('per-query', 2, 400),
        round('per-query', 3, 350),
      ],
      [run('baseline'), run('per-query')],
    );
    const baseline = cells.find((c) => c.strategy === 'baseline');
    const perQuery = cells.find((c) => c.strategy === 'per-query');
    expect(baseline?.requestsPerSec).toEqual({ median: 1000, min: 900, max: 1200 });
    expect(perQuery?.ratioToBaseline).toBeCloseTo(0.35);
    expect(baseline?.ratioToBaseline).toBe(1);
    expect(allPassed({ cells })).toBe(true);
  });

  it('fails the cell, and the run, when any trial served a wrong answer', () => {
    const cells = summarize(
      [round('baseline', 1, 1000), round('baseline', 2, 1000, 'fail')],
      [run('baseline')],
    );
    expect(cells[0]?.checks.bodies).toBe('fail');
    expect(allPassed({ cells })).toBe(false);
  });

  it('takes the mean of the middle two for an even count, and combines checks strictly', () => {
    expect(spread([4, 1, 3, 2]).median).toBe(2.5);
    expect(combine(['pass', 'n/a'])).toBe('pass');
    expect(combine(['n/a', 'n/a'])).toBe('n/a');
    expect(combine(['pass', 'fail'])).toBe('fail');
  });
});

describe('plan', () => {
  it('reverses the order every other trial so no strategy always goes first', () => {
    const order = plan({
      trials: 2,
      drivers: ['sqlite', 'postgres'],
      strategies: ['baseline', 'per-query'],
    });
    expect(order.map((s) => `${s.trial}:${s.driver}:${s.strategy}`)).toEqual([
      '1:sqlite:baseline',
      '1:sqlite:per-query',
      '1:postgres:baseline',
      '1:postgres:per-query',
      '2:postgres:per-query',
      '2:postgres:baseline',
      '2:sqlite:per-query',
      '2:sqlite:baseline',
    ]);
  });
});
