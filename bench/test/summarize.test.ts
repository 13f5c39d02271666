import { describe, expect, it } from 'vitest';
import { charts } from '../src/matrix/charts.js';
import { reportMarkdown, withinFivePercent } from '../src/matrix/report.js';
import type { AppRun, BenchResults, Round } from '../src/matrix/results.js';
import { allPassed, combine, spread, summarize } from '../src/matrix/summarize.js';
import { NONE_FINISHED } from '../src/shared/bar-chart-svg.js';

function round(
  strategy: Round['strategy'],
  pass: number,
  rps: number,
  options: { bodies?: Round['checks']['bodies']; ok?: number } = {},
): Round {
  const ok = options.ok ?? 100;
  const answered = ok > 0;
  return {
    strategy,
    driver: 'sqlite',
    workload: 'db',
    pass,
    position: 0,
    load: {
      sent: 100,
      responses: ok,
      ok,
      durationSec: 1,
      requestsPerSec: answered ? rps : 0,
      p50Ms: 1,
      p99Ms: 5,
      serverP50Us: undefined,
      serverP99Us: undefined,
      non2xx: 0,
      status5xx: 0,
      status503: 0,
      refusedWithoutRetryAfter: 0,
      errors: 0,
      timeouts: 0,
      mismatches: options.bodies === 'fail' ? 3 : 0,
    },
    connectionsPerRequest: strategy === 'per-query' ? 1 : 0,
    appCpuUsPerRequest: answered ? 300 : undefined,
    serverCpuUsPerRequest: undefined,
    peakServerConnections: undefined,
    peakRssMb: 100,
    checks: {
      bodies: options.bodies ?? (answered ? 'pass' : 'n/a'),
      no5xx: answered ? 'pass' : 'n/a',
      totalKept: 'n/a',
      statementCount: 'n/a',
    },
    notes: [],
  };
}

const run = (strategy: AppRun['strategy']): AppRun => ({
  strategy,
  driver: 'sqlite',
  warmupSec: 2,
  warmupSettled: true,
  checks: { sameConnection: 'pass', idle: 'pass', drained: 'pass' },
  notes: [],
});

/** A machine that speeds up pass by pass, as this one does: every row drifts together. */
const DRIFT = [1000, 1400, 1800, 2200, 2600, 3000];

function results(rounds: Round[], strategies: AppRun['strategy'][]): BenchResults {
  const cells = summarize(rounds, strategies.map(run));
  return {
    startedAt: '2026-12-03T00:00:00.000Z',
    finishedAt: '2026-12-03T00:01:00.000Z',
    machine: { cpus: 2, cpuModel: 'test', memoryGiB: 4, node: 'v20', platform: 'linux x64' },
    method: {
      quick: true,
      roundSec: 0.5,
      passes: DRIFT.length,
      warmupMaxSec: 6,
      connections: 16,
      pinned: false,
      postgres: 'not used',
      estimatedSec: 60,
      tookSec: 60,
    },
    cells,
    rounds,
    appRuns: strategies.map(run),
    passed: allPassed({ cells }),
  };
}

describe('summarize', () => {
  it('pairs each round with the baseline of its pass, so a drifting machine still gives a tight ratio', () => {
    const rounds = DRIFT.flatMap((rate, i) => [
      round('baseline', i + 1, rate),
      round('per-query', i + 1, rate * (i % 2 === 0 ? 0.5 : 0.52)),
    ]);
    const cells = summarize(rounds, [run('baseline'), run('per-query')]);
    const perQuery = cells.find((c) => c.strategy === 'per-query');
    // Unpaired, the medians' ratio would mix passes; paired, each pass says about 0.5.
    expect(perQuery?.ratioToBaseline?.median).toBeCloseTo(0.51, 2);
    expect(perQuery?.ratioToBaseline?.low).toBeGreaterThanOrEqual(0.5);
    expect(perQuery?.ratioToBaseline?.high).toBeLessThanOrEqual(0.52);
    expect(perQuery?.ratioToBaseline?.pairs).toBe(DRIFT.length);
    expect(perQuery?.ratioToBaseline?.resolved).toBe(true);
    expect(perQuery?.requestsPerSec?.min).toBe(500);
  });

  it('reports a ratio whose interval contains 1 as not resolved, and no met / not met from it', () => {
    const noise = [1.1, 0.9, 1.2, 0.85, 1.05, 0.95];
    const rounds = DRIFT.flatMap((rate, i) => [
      round('kysely-plain', i + 1, rate),
      round('baseline', i + 1, rate * (noise[i] ?? 1)),
    ]);
    const output = results(rounds, ['kysely-plain', 'baseline']);
    const baseline = output.cells.find((c) => c.strategy === 'baseline');
    expect(baseline?.ratioToKyselyPlain?.resolved).toBe(false);
    expect(withinFivePercent(baseline?.ratioToKyselyPlain)).toBe('not resolved');
    const report = reportMarkdown(output, []);
    expect(report).toContain('≈1 (not resolved)');
    expect(report).not.toMatch(/\| (\*\*not met\*\*|met) \|/);
  });

  it('tells met from not met only when the whole interval says so', () => {
    const at = (low: number, high: number) => ({
      median: (low + high) / 2,
      low,
      high,
      pairs: 6,
      resolved: low > 1 || high < 1,
    });
    expect(withinFivePercent(at(0.97, 1.03))).toBe('met');
    expect(withinFivePercent(at(0.8, 0.9))).toBe('**not met**');
    expect(withinFivePercent(at(0.9, 0.99))).toBe('not resolved');
  });

  it('gives a cell where no request finished no figures, no ratio, no bar, and n/a checks', () => {
    const rounds = DRIFT.flatMap((rate, i) => [
      round('baseline', i + 1, rate),
      round('per-query', i + 1, rate, { ok: 0 }),
    ]);
    const output = results(rounds, ['baseline', 'per-query']);
    const none = output.cells.find((c) => c.strategy === 'per-query');
    expect(none?.finished).toBe(false);
    expect(none?.requestsPerSec).toBeUndefined();
    expect(none?.connectionsPerRequest).toBeUndefined();
    expect(none?.p99Ms).toBeUndefined();
    expect(none?.ratioToBaseline).toBeUndefined();
    expect(none?.checks.bodies).toBe('n/a');
    expect(none?.checks.no5xx).toBe('n/a');
    const report = reportMarkdown(output, []);
    const rows = report.split('\n').filter((line) => line.startsWith('| per-query |'));
    // Throughput, CPU, latency, connections and memory: each says so, none quotes a zero.
    expect(rows.slice(0, 5)).toEqual(Array(5).fill('| per-query | none finished |'));
    const drawn = charts(output);
    expect(drawn.map((c) => c.file)).toContain('throughput-sqlite.svg');
    for (const { file, svg } of drawn) {
      // The ratio chart has no bar for the reference itself.
      if (!file.startsWith('ratio-')) expect(svg, file).toContain('>baseline<');
      // per-query measured nothing: its row says so where its bar would be.
      expect(svg, file).toContain('>per-query<');
      expect(svg, file).toContain(`>${NONE_FINISHED}<`);
      expect(svg.match(/<rect x=/g) ?? [], file).toHaveLength(file.startsWith('ratio-') ? 0 : 1);
    }
  });

  it('fails the cell, and the run, when any round served a wrong answer', () => {
    const cells = summarize(
      [round('baseline', 1, 1000), round('baseline', 2, 1000, { bodies: 'fail' })],
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
