import { beforeAll, describe, expect, it } from 'vitest';
import { parseBenchOptions } from '../src/matrix/options.js';
import type { BenchResults, Round } from '../src/matrix/results.js';
import { runBench } from '../src/matrix/run.js';

/**
 * The counting rules on real apps and both drivers: connections opened per
 * request started, read after every request of the round has finished, and
 * the server's sessions of the round's own databases only.
 */
describe('counting', () => {
  let results: BenchResults;

  beforeAll(async () => {
    results = await runBench({
      ...parseBenchOptions([
        '--quick',
        '--strategies=baseline,per-query,per-request',
        '--workloads=db,queries,slow,tenants-under',
        '--passes=1',
        '--no-pin',
      ]),
      warmupMaxSec: 0.2,
    });
  }, 300_000);

  const rounds = (strategy: string, driver: string, workload: string): Round[] =>
    results.rounds.filter(
      (r) => r.strategy === strategy && r.driver === driver && r.workload === workload,
    );

  it.each([
    ['per-request', 'db', 1],
    ['per-query', 'slow', 2],
    ['per-query', 'queries', 20],
  ])(
    '%s opens exactly the connections its lifetime says on %s: %d per request',
    (strategy, workload, perRequest) => {
      for (const driver of ['sqlite', 'postgres']) {
        const measured = rounds(strategy, driver, workload);
        expect(measured.length, `${driver}: rounds`).toBeGreaterThan(0);
        for (const round of measured) {
          expect(round.load.ok, `${driver}: answers`).toBeGreaterThan(0);
          expect(round.connectionsPerRequest, `${driver}`).toBeCloseTo(perRequest, 2);
        }
      }
    },
  );

  it("counts only the round's databases: tenant pools opened at setup are not the baseline's db peak", () => {
    for (const round of rounds('baseline', 'postgres', 'db')) {
      // A pool borrowed per query holds at most one connection per concurrent
      // request; the pools its three tenants opened at setup are counted apart.
      expect(round.peakServerConnections).toBeGreaterThan(0);
      expect(round.peakServerConnections).toBeLessThanOrEqual(results.method.connections);
    }
  });

  it('measures CPU per request in the app, and in the server where the server is PostgreSQL on this machine', () => {
    for (const round of results.rounds) {
      // /proc counts in 10 ms ticks: a short round may see none, never a negative or missing figure.
      expect(round.appCpuUsPerRequest, `${round.strategy}/${round.driver}`).toBeGreaterThanOrEqual(
        0,
      );
      if (round.driver === 'sqlite') expect(round.serverCpuUsPerRequest).toBeUndefined();
      else expect(round.serverCpuUsPerRequest).toBeGreaterThanOrEqual(0);
    }
    expect(results.rounds.reduce((sum, r) => sum + (r.appCpuUsPerRequest ?? 0), 0)).toBeGreaterThan(
      0,
    );
    const server = (strategy: string) =>
      rounds(strategy, 'postgres', 'db')[0]?.serverCpuUsPerRequest ?? Number.NaN;
    // A connect per request is a new backend each time: mostly the server's work.
    expect(server('per-query')).toBeGreaterThan(0);
    expect(server('per-query')).toBeGreaterThan(2 * server('baseline'));
  });
});
