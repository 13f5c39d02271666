import { findPgBouncer, PGBOUNCER_MISSING } from '@lifetimes/databases';
import { beforeAll, describe, expect, it } from 'vitest';
import { fleetOptionsFromBench } from '../src/fleet/fleet-options.js';
import { FLEET_CHART, fleetChart, fleetReport } from '../src/fleet/fleet-report.js';
import type { FleetCell, FleetResults } from '../src/fleet/fleet-results.js';
import { runFleetBench } from '../src/fleet/run-fleet-bench.js';
import { parseBenchOptions } from '../src/matrix/options.js';

const installed = findPgBouncer() !== undefined;
if (!installed)
  console.warn(`The quick fleet run leaves out its PgBouncer rows. ${PGBOUNCER_MISSING}`);

/**
 * The fleet bench end to end, quick: per-request (a connection per request
 * in flight, none while idle) and baseline (a pool per process, held while
 * idle) in fleets of 1 and 4 processes, direct and through PgBouncer, and a
 * deploy. On the embedded server (max_connections 40) 4 × 10 passes the
 * room, so the direct rows show refusals; with PG_URL they fit.
 */
describe('turbo bench --fleet --quick', () => {
  let results: FleetResults;

  beforeAll(async () => {
    const options = fleetOptionsFromBench(
      parseBenchOptions(['--quick', '--fleet', '--strategies=baseline,per-request']),
    );
    results = await runFleetBench(options, () => {});
  }, 300_000);

  it('measures every fleet, and every check holds', () => {
    const modes = installed ? ['direct', 'pgbouncer'] : ['direct'];
    expect(results.cells.map((cell) => `${cell.mode} ${cell.strategy} ${cell.workers}`)).toEqual(
      modes.flatMap((mode) =>
        ['baseline', 'per-request'].flatMap((strategy) =>
          [1, 4].map((workers) => `${mode} ${strategy} ${workers}`),
        ),
      ),
    );
    for (const cell of results.cells) {
      expect(
        Object.values(cell.checks),
        `${cell.mode} ${cell.strategy} × ${cell.workers}`,
      ).not.toContain('fail');
    }
    expect(results.passed).toBe(true);
  });

  it('straight at the server, a fleet past its room is refused with 503s, and one within it is not', () => {
    const { room } = results.server;
    const refused = (cell: FleetCell) => cell.warming.refused + cell.refused;
    for (const cell of results.cells.filter((c) => c.mode === 'direct')) {
      if (cell.workers * results.poolSize <= room) expect(refused(cell)).toBe(0);
    }
    if (results.server.embedded) {
      // 4 × 10 > 40 − 3 − the bench's own sessions: baseline's pools cannot
      // all open. Once open, a pool short of its size may serve a short
      // round without asking for more; while they open, some must be refused.
      const past = results.cells.find(
        (c) => c.mode === 'direct' && c.strategy === 'baseline' && c.workers === 4,
      );
      expect(past && refused(past)).toBeGreaterThan(0);
    }
  });

  it.skipIf(!installed)(
    'through PgBouncer, the server sees at most its pool and nothing is refused',
    () => {
      for (const cell of results.cells.filter((c) => c.mode === 'pgbouncer')) {
        expect(cell.refused).toBe(0);
        expect(cell.peakServerConnections).toBeLessThanOrEqual(20);
        expect(cell.peakPoolerClients).toBeGreaterThan(0);
      }
    },
  );

  it('a deploy shows the overlap, and through PgBouncer the server does not see it', () => {
    const direct = results.deploys.find((d) => d.mode === 'direct');
    const phase = (name: string) => direct?.phases.find((p) => p.phase === name);
    expect(phase('overlap')?.peakServerConnections).toBeGreaterThan(
      phase('before')?.peakServerConnections ?? Number.POSITIVE_INFINITY,
    );
    for (const deploy of results.deploys) expect(deploy.passed).toBe(true);
  });

  it('writes a report and a chart that show every fleet', () => {
    const report = fleetReport(results);
    expect(report).toContain(`room for ${results.server.room}`);
    expect(report).toContain(FLEET_CHART);
    expect(report.match(/^\| (baseline|per-request) \|/gm)).toHaveLength(results.cells.length);
    for (const cell of results.cells.filter((c) => c.warming.refused > 0)) {
      expect(report).toContain(`(+${cell.warming.refused.toLocaleString('en-US')} warming)`);
    }
    const svg = fleetChart(results);
    expect(svg.match(/<rect x=/g)).toHaveLength(results.cells.length);
  });
});
