import { resolve } from 'node:path';
import { PROFILE_NAMES } from '@lifetimes/strategies';
import { describe, expect, it } from 'vitest';
import { faultOptionsFromBench, parseFaultOptions, SCENARIO_NAMES } from '../src/faults/options.js';
import { parseBenchOptions } from '../src/matrix/options.js';
import { BenchUsageError } from '../src/shared/flags.js';

describe('parseFaultOptions', () => {
  it('defaults to every strategy, driver and scenario, with the report in docs/results', () => {
    const options = parseFaultOptions([]);
    expect(options.quick).toBe(false);
    // Every sample app: one per strategy profile, and no reference row.
    expect(options.strategies).toEqual([...PROFILE_NAMES]);
    expect(options.drivers).toEqual(['sqlite', 'postgres']);
    expect(options.scenarios).toEqual([...SCENARIO_NAMES]);
    expect(options.docsDir).toMatch(/docs\/results$/);
    expect(options.resultsDir).toMatch(/bench\/results$/);
  });

  it('writes no report in quick mode unless told where, and keeps its JSON apart', () => {
    expect(parseFaultOptions(['--', '--quick']).docsDir).toBeUndefined();
    expect(parseFaultOptions(['--quick']).resultsDir).toMatch(/bench\/results\/tmp$/);
    expect(parseFaultOptions(['--quick', '--docs=out/docs']).docsDir).toBe(resolve('out/docs'));
  });

  it('keeps the order scenarios run in, whatever order they are named in', () => {
    const options = parseFaultOptions(['--scenarios=graceful-shutdown,client-aborts']);
    expect(options.scenarios).toEqual(['client-aborts', 'graceful-shutdown']);
  });

  it.each([
    ['--scenarios=meteor', /"meteor" is not one of client-aborts, backend-kill/],
    ['--strategies=kysely-plain', /"kysely-plain" is not one of baseline, per-query/],
    ['--drivers=mysql', /"mysql" is not one of sqlite, postgres/],
    ['--docs', /--docs needs a value/],
    ['--quick=yes', /--quick takes no value/],
    ['--duration=3', /Unknown option --duration/],
    ['quick', /Unknown argument "quick"/],
  ])('refuses %s and says what is allowed', (arg, message) => {
    expect(() => parseFaultOptions([arg])).toThrow(BenchUsageError);
    expect(() => parseFaultOptions([arg])).toThrow(message);
  });

  it('answers --help with the usage', () => {
    expect(() => parseFaultOptions(['--help'])).toThrow(/npm run faults -w @lifetimes\/bench/);
  });
});

describe('turbo bench --faults', () => {
  it('is off unless asked for', () => {
    expect(parseBenchOptions([]).faults).toBeUndefined();
  });

  it('runs the suite on the bench strategies that are sample apps, reporting to the bench docs', () => {
    const bench = parseBenchOptions([
      '--faults',
      '--strategies=kysely-plain,per-query',
      '--docs=d',
    ]);
    const options = faultOptionsFromBench(bench);
    expect(options.strategies).toEqual(['per-query']);
    expect(options.docsDir).toBe(resolve('d'));
    expect(options.scenarios).toEqual([...SCENARIO_NAMES]);
  });

  it('writes no fault report from a quick bench unless --docs is given', () => {
    expect(
      faultOptionsFromBench(parseBenchOptions(['--faults', '--quick'])).docsDir,
    ).toBeUndefined();
    expect(
      faultOptionsFromBench(parseBenchOptions(['--faults', '--quick', '--docs=d'])).docsDir,
    ).toBe(resolve('d'));
  });
});
