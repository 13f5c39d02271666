import { describe, expect, it } from 'vitest';
import { BenchUsageError, parseBenchOptions } from '../src/bench-options.js';

describe('parseBenchOptions', () => {
  it('defaults to the full matrix with three trials', () => {
    const options = parseBenchOptions([]);
    expect(options.trials).toBe(3);
    expect(options.strategies).toContain('pooled-registry');
    expect(options.drivers).toEqual(['sqlite', 'postgres']);
    expect(options.quick).toBe(false);
  });

  it('shrinks everything in quick mode but keeps the pipeline', () => {
    const options = parseBenchOptions(['--', '--quick', '--drivers=sqlite']);
    expect(options.trials).toBe(1);
    expect(options.durationSec).toBeLessThan(1);
    expect(options.drivers).toEqual(['sqlite']);
    expect(options.workloads.length).toBeGreaterThan(3);
  });

  it.each([
    ['--trials=0', /--trials must be a number from 1/],
    ['--strategies=nope', /"nope" is not one of kysely-plain, baseline/],
    ['--frobnicate', /Unknown option --frobnicate/],
    ['quick', /Unknown argument "quick"/],
  ])('refuses %s and says what is allowed', (arg, message) => {
    expect(() => parseBenchOptions([arg])).toThrow(BenchUsageError);
    expect(() => parseBenchOptions([arg])).toThrow(message);
  });
});
