import { PROFILE_NAMES } from '@lifetimes/strategies';
import { describe, expect, it } from 'vitest';
import { fleetSectionOptions } from '../src/fleet/fleet-options.js';
import { parseBenchOptions } from '../src/matrix/options.js';
import { microOptionsFromBench, RUNTIME_OPERATIONS } from '../src/micro/micro-options.js';
import { BenchUsageError } from '../src/shared/flags.js';

describe('parseBenchOptions', () => {
  it('defaults to every row, both drivers, the default workloads, and writes the docs', () => {
    const options = parseBenchOptions([]);
    expect(options.passes).toBeGreaterThanOrEqual(6);
    // The two references, then a row for every strategy profile.
    expect(options.strategies).toEqual(['driver-floor', 'kysely-plain', ...PROFILE_NAMES]);
    expect(options.drivers).toEqual(['sqlite', 'postgres']);
    expect(options.workloads).not.toContain('login');
    expect(options.docsDir).toMatch(/docs\/results$/);
    expect(options.quick).toBe(false);
    expect(options.micro).toBe(true);
    expect(parseBenchOptions(['--no-micro']).micro).toBe(false);
    expect(options.fleetSection).toBe(true);
    expect(parseBenchOptions(['--no-fleet']).fleetSection).toBe(false);
    // --fleet runs the whole fleet bench instead, not a section of it.
    expect(parseBenchOptions(['--fleet']).fleetSection).toBe(false);
  });

  it("gives the default run's fleet section one process and four of its two strategies, in 1 s rounds, and no report", () => {
    const section = fleetSectionOptions(parseBenchOptions([]));
    expect(section.strategies).toEqual(['baseline', 'per-request']);
    expect(section.sizes).toEqual([1, 4]);
    expect(section.roundSec).toBe(1);
    expect(section.docsDir).toBeUndefined();
    // Four pools of ten are past the embedded server's room (40 less its reserved slots).
    expect(Math.max(...section.sizes) * section.poolSize).toBeGreaterThan(
      section.embeddedMaxConnections - 3,
    );
    expect(
      fleetSectionOptions(parseBenchOptions(['--strategies=per-query,baseline'])).strategies,
    ).toEqual(['baseline']);
  });

  it('compares the runtimes of --node with the micro layer in pairs of runs, quick too', () => {
    const options = parseBenchOptions(['--quick', '--node=20,24']);
    expect(options).toMatchObject({ node: [20, 24], passes: 2 });
    expect(microOptionsFromBench(options)).toMatchObject({
      node: [20, 24],
      pairs: 2,
      operations: [...RUNTIME_OPERATIONS],
    });
    expect(parseBenchOptions([]).node).toBeUndefined();
    expect(() => parseBenchOptions(['--node=24'])).toThrow(BenchUsageError);
    expect(() => parseBenchOptions(['--node=24.1,20'])).toThrow(/npx turbo bench -- --node=20,24/);
  });

  it('shrinks everything in quick mode, keeps the pipeline, and writes nothing under docs/', () => {
    const options = parseBenchOptions(['--', '--quick', '--drivers=sqlite']);
    expect(options.passes).toBe(2);
    expect(options.roundSec).toBeLessThan(0.5);
    expect(options.drivers).toEqual(['sqlite']);
    expect(options.workloads).toEqual(['db', 'slow']);
    expect(options.docsDir).toBeUndefined();
    expect(options.resultsDir).toMatch(/bench\/results\/tmp$/);
    expect(parseBenchOptions(['--quick', '--docs=/tmp/x']).docsDir).toBe('/tmp/x');
    expect(options.micro).toBe(false);
    expect(parseBenchOptions(['--quick', '--micro']).micro).toBe(true);
    expect(options.fleetSection).toBe(false);
  });

  it.each([
    ['--passes=0', /--passes must be a number from 1/],
    ['--strategies=nope', /"nope" is not one of driver-floor, kysely-plain/],
    ['--frobnicate', /Unknown option --frobnicate/],
    ['quick', /Unknown argument "quick"/],
  ])('refuses %s and says what is allowed', (arg, message) => {
    expect(() => parseBenchOptions([arg])).toThrow(BenchUsageError);
    expect(() => parseBenchOptions([arg])).toThrow(message);
  });
});
