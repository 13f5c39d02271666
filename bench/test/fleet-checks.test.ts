import { describe, expect, it } from 'vitest';
import {
  type CellFacts,
  deployChecks,
  fleetCellChecks,
  type Limits,
} from '../src/fleet/fleet-checks.js';
import type { DeployPhase } from '../src/fleet/fleet-results.js';

const limits: Limits = {
  server: { embedded: true, maxConnections: 40, reserved: 3, othersAtStart: 1, room: 36 },
  poolSize: 10,
  bouncerPoolSize: 20,
};

const none = {
  ok: 0,
  refused: 0,
  refusedWithoutRetryAfter: 0,
  otherFailures: 0,
  socketErrors: 0,
  timeouts: 0,
};

const clean: CellFacts = {
  ...none,
  ok: 500,
  warming: { ...none, ok: 250 },
  mode: 'direct',
  workers: 2,
  peakServerConnections: 20,
  adminServed: true,
  exitCode: 0,
};

describe('fleetCellChecks', () => {
  it('passes a fleet that fits the room and refused nothing', () => {
    expect(fleetCellChecks(clean, limits)).toEqual({
      clearRefusals: 'pass',
      nothingRefusedWhereItFits: 'pass',
      serverBounded: 'n/a',
      reservedForAdmin: 'pass',
      drained: 'pass',
    });
  });

  it('fails a refusal where processes × pool fit, and allows one where they do not', () => {
    expect(fleetCellChecks({ ...clean, refused: 3 }, limits).nothingRefusedWhereItFits).toBe(
      'fail',
    );
    const past = fleetCellChecks({ ...clean, workers: 4, refused: 30 }, limits);
    expect(past.nothingRefusedWhereItFits).toBe('n/a');
    expect(past.clearRefusals).toBe('pass');
  });

  it('checks the warm-up as it checks the round: a refusal where the fleet fits, or any other failure, fails', () => {
    const warming = (bad: Partial<typeof none>) => ({ ...clean, warming: { ...none, ...bad } });
    expect(fleetCellChecks(warming({ refused: 2 }), limits).nothingRefusedWhereItFits).toBe('fail');
    for (const bad of [{ refusedWithoutRetryAfter: 1 }, { otherFailures: 1 }, { timeouts: 1 }]) {
      expect(fleetCellChecks({ ...warming(bad), workers: 8 }, limits).clearRefusals).toBe('fail');
    }
    expect(fleetCellChecks({ ...warming({ refused: 9 }), workers: 8 }, limits)).toMatchObject({
      clearRefusals: 'pass',
      nothingRefusedWhereItFits: 'n/a',
    });
  });

  it('fails any failure that is not a 503 with Retry-After', () => {
    for (const bad of [
      { refusedWithoutRetryAfter: 1 },
      { otherFailures: 1 },
      { socketErrors: 1 },
      { timeouts: 1 },
    ]) {
      expect(fleetCellChecks({ ...clean, workers: 8, ...bad }, limits).clearRefusals).toBe('fail');
    }
  });

  it("through PgBouncer: refuses nothing and keeps the server within PgBouncer's pool, whatever the fleet size", () => {
    const bounced = { ...clean, mode: 'pgbouncer' as const, workers: 8, peakServerConnections: 20 };
    expect(fleetCellChecks(bounced, limits).nothingRefusedWhereItFits).toBe('pass');
    expect(fleetCellChecks({ ...bounced, refused: 1 }, limits).nothingRefusedWhereItFits).toBe(
      'fail',
    );
    expect(fleetCellChecks({ ...bounced, peakServerConnections: 21 }, limits).serverBounded).toBe(
      'fail',
    );
  });

  it('fails a fleet that kept a superuser out: the reserved slots were not reserved', () => {
    expect(
      fleetCellChecks({ ...clean, workers: 8, adminServed: false }, limits).reservedForAdmin,
    ).toBe('fail');
    expect(
      fleetCellChecks({ ...clean, mode: 'pgbouncer', adminServed: undefined }, limits)
        .reservedForAdmin,
    ).toBe('n/a');
  });

  it('fails a fleet that did not drain', () => {
    expect(fleetCellChecks({ ...clean, exitCode: 1 }, limits).drained).toBe('fail');
    expect(fleetCellChecks({ ...clean, exitCode: null }, limits).drained).toBe('fail');
  });
});

describe('deployChecks', () => {
  const phases: DeployPhase[] = [
    { ...none, ok: 400, phase: 'before', peakServerConnections: 20 },
    { ...none, ok: 600, phase: 'overlap', peakServerConnections: 20 },
    { ...none, ok: 400, phase: 'after', peakServerConnections: 20 },
  ];
  const warming = { ...none, ok: 200 };

  it('passes a clean deploy through PgBouncer, and leaves refusals straight at the server unchecked', () => {
    expect(deployChecks('pgbouncer', warming, phases, limits)).toEqual({
      clearRefusals: 'pass',
      nothingRefused: 'pass',
      serverBounded: 'pass',
    });
    const overlapRefused = phases.map((p) => (p.phase === 'overlap' ? { ...p, refused: 30 } : p));
    expect(deployChecks('direct', warming, overlapRefused, limits)).toEqual({
      clearRefusals: 'pass',
      nothingRefused: 'n/a',
      serverBounded: 'n/a',
    });
  });

  it("checks the old fleet's warm-up with the phases", () => {
    expect(
      deployChecks('pgbouncer', { ...warming, refused: 1 }, phases, limits).nothingRefused,
    ).toBe('fail');
    expect(
      deployChecks('direct', { ...warming, otherFailures: 1 }, phases, limits).clearRefusals,
    ).toBe('fail');
  });

  it("fails a server past the pooler's pool in any phase", () => {
    const past = phases.map((p) => (p.phase === 'after' ? { ...p, peakServerConnections: 21 } : p));
    expect(deployChecks('pgbouncer', warming, past, limits).serverBounded).toBe('fail');
  });
});
