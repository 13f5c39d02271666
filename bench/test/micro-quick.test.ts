import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTempDir, type TempDir } from '@lifetimes/databases';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MICRO_OPERATIONS,
  MicroUsageError,
  microOptionsFromBench,
  parseMicroOptions,
  RUNTIME_OPERATIONS,
} from '../src/micro/micro-options.js';
import type { MicroResults } from '../src/micro/micro-results.js';
import { MICRO_TARGETS } from '../src/micro/micro-targets.js';
import { type EntryRun, runEntry } from './support/run-entry.js';

const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The micro layer end to end in quick mode, on both drivers, with two blocks. */
describe('npm run micro -- --quick', () => {
  let out: TempDir;
  let run: EntryRun;
  let results: MicroResults;
  const BLOCKS = 2;

  beforeAll(async () => {
    out = await createTempDir('lifetimes-micro-test');
    run = await runEntry('src/micro/main.ts', [
      '--quick',
      `--blocks=${BLOCKS}`,
      `--results=${join(out.path, 'results')}`,
      `--docs=${join(out.path, 'docs')}`,
    ]);
    const [file] = readdirSync(join(out.path, 'results'));
    results = JSON.parse(readFileSync(join(out.path, 'results', file ?? ''), 'utf8'));
  });
  afterAll(() => out?.remove());

  it('exits 0 and names its files', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Results: .*micro-.*\.json/);
    expect(run.stdout).toMatch(/Report: .*micro\.md/);
  });

  it('has every block of every row on both drivers, each a positive µs/op', () => {
    expect(results.drivers.map((d) => d.driver)).toEqual(['sqlite', 'postgres']);
    for (const { operations } of results.drivers) {
      expect(operations.map((op) => op.name)).toEqual([...MICRO_OPERATIONS]);
      for (const op of operations) {
        for (const row of op.rows) {
          expect(row.usPerOp, `${op.name} / ${row.name}`).toHaveLength(BLOCKS);
          for (const value of [...row.usPerOp, ...row.cpuUsPerOp, row.median, row.low, row.high]) {
            expect(value, `${op.name} / ${row.name}`).toBeGreaterThan(0);
          }
          expect(row.promisesPerOp, `${op.name} / ${row.name}: promises`).toBeGreaterThanOrEqual(0);
        }
      }
    }
  });

  it('gives every comparison a ratio and an extra cost over rows that exist', () => {
    for (const { operations } of results.drivers) {
      for (const op of operations) {
        const names = op.rows.map((row) => row.name);
        for (const c of op.comparisons) {
          expect(names).toContain(c.subject);
          expect(names).toContain(c.reference);
          expect(c.ratio?.pairs, `${op.name}: ${c.subject} / ${c.reference}`).toBe(BLOCKS);
          expect(c.cpuRatio?.pairs).toBe(BLOCKS);
          expect(c.extraUs).not.toBeNull();
        }
      }
    }
  });

  it('reports every target on both drivers, with the machine and Node version', () => {
    const report = readFileSync(join(out.path, 'docs', 'micro.md'), 'utf8');
    expect(report).toContain(process.version);
    const baselineRequest = results.drivers[0]?.operations
      .find((op) => op.name === 'request')
      ?.rows.find((row) => row.name === 'baseline');
    // A count holds from pass to pass: on SQLite it comes out whole.
    expect(Number.isInteger(baselineRequest?.promisesPerOp)).toBe(true);
    expect(report).toContain(`| ${baselineRequest?.promisesPerOp} |`);
    for (const driver of ['SQLite', 'PostgreSQL']) {
      for (const target of MICRO_TARGETS) {
        expect(report).toMatch(
          new RegExp(
            `\\| ${driver} \\| ${literal(target.label)}.*\\| (met|missed|unresolved) \\|.*\\| (met|missed|unresolved) \\|`,
          ),
        );
      }
    }
  });
});

describe('micro options', () => {
  it('prints its usage for --help and exits 0', async () => {
    const help = await runEntry('src/micro/main.ts', ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: npm run micro');
  });

  it('refuses an unknown driver and says which ones exist', async () => {
    const bad = await runEntry('src/micro/main.ts', ['--quick', '--drivers=mysql']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Unknown driver "mysql": choose from sqlite, postgres.');
  });

  it('compares runtimes with --node: pairs of short runs of a scope, a request and a query', () => {
    expect(parseMicroOptions(['--node=20,24'])).toMatchObject({
      node: [20, 24],
      pairs: 6,
      blocks: 3,
      operations: [...RUNTIME_OPERATIONS],
    });
    expect(parseMicroOptions(['--node=20,24', '--pairs=3', '--operations=connect'])).toMatchObject({
      pairs: 3,
      operations: ['connect'],
    });
    expect(parseMicroOptions([])?.node).toBeUndefined();
  });

  it('refuses a runtime list it cannot compare, and --pairs without --node', () => {
    const refusal = (argv: string[]) => {
      try {
        parseMicroOptions(argv);
      } catch (error) {
        expect(error).toBeInstanceOf(MicroUsageError);
        return (error as Error).message;
      }
      throw new Error(`accepted ${argv.join(' ')}`);
    };
    expect(refusal(['--node=24'])).toContain('name two majors or more');
    expect(refusal(['--node=v24,20'])).toContain(
      'npm run micro -w @lifetimes/bench -- --node=20,24',
    );
    expect(refusal(['--node=18,24'])).toContain('older than the project supports');
    expect(refusal(['--pairs=3'])).toContain('give --node too');
  });

  it('follows a bench run on its drivers and writes where the run writes', () => {
    const micro = microOptionsFromBench({
      quick: false,
      drivers: ['postgres'],
      resultsDir: '/tmp/r',
      docsDir: undefined,
    });
    expect(micro).toMatchObject({ quick: false, drivers: ['postgres'], resultsDir: '/tmp/r' });
    expect(micro.docsDir).toBeUndefined();
    expect(micro.blocks).toBe(parseMicroOptions([])?.blocks);
    expect(microOptionsFromBench({ ...micro, quick: true }).blocks).toBeLessThan(micro.blocks);
  });
});
