import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyEdits } from '../src/apply-edits.js';
import { CATALOGUE } from '../src/catalogue.js';
import { catalogueTable } from '../src/catalogue-table.js';
import { REPOSITORY_ROOT } from '../src/repository.js';
import { missedCases } from '../src/run-catalogue.js';

describe('the mutation catalogue', () => {
  it('names each mutation once, in kebab-case', () => {
    const names = CATALOGUE.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it.each(CATALOGUE.map((m) => [m.name, m] as const))(
    "%s still applies to today's code and changes it",
    (_name, mutation) => {
      const original = readFileSync(join(REPOSITORY_ROOT, mutation.file), 'utf8');
      expect(applyEdits(mutation.file, original, mutation.edits)).not.toBe(original);
      expect(mutation.suite.cases.length).toBeGreaterThan(0);
      expect(mutation.reference).toMatch(/^https:\/\//);
    },
  );

  it('is the table in the README', () => {
    const readme = readFileSync(join(REPOSITORY_ROOT, 'packages/mutations/README.md'), 'utf8');
    expect(readme).toContain(catalogueTable(CATALOGUE));
  });
});

describe('applyEdits', () => {
  it('refuses text that is missing or occurs more than once, naming the file', () => {
    const edit = { find: 'close()', replace: 'end()' };
    expect(applyEdits('a.ts', 'x.close();', [edit])).toBe('x.end();');
    expect(() => applyEdits('a.ts', 'x.end();', [edit])).toThrow(/a\.ts: .* 0 times/);
    expect(() => applyEdits('a.ts', 'close() close()', [edit])).toThrow(/2 times/);
  });

  it('replaces literally, with no special meaning for $ patterns', () => {
    expect(applyEdits('a.ts', 'a b', [{ find: 'b', replace: "$& $'" }])).toBe("a $& $'");
  });
});

describe('missedCases', () => {
  const suite = {
    workspace: 'packages/per-request',
    file: 'test/contract.test.ts',
    cases: ['release-on-abort', 'never-dirty'],
    drivers: ['sqlite', 'postgres'],
  } as const;

  it('is empty only when every named case failed on every named driver', () => {
    const all = ['sqlite', 'postgres'].flatMap((d) => [
      `per-request on ${d} release-on-abort: a client abort releases at once`,
      `per-request on ${d} never-dirty: no connection goes back inside a transaction`,
    ]);
    expect(missedCases(suite, all)).toEqual([]);
    expect(missedCases(suite, all.slice(0, 3))).toEqual(['postgres never-dirty']);
    expect(missedCases(suite, [])).toHaveLength(4);
  });

  it('matches a suite without a database on its case names alone', () => {
    const plain = { ...suite, drivers: [], cases: ['leaves nothing behind'] };
    expect(missedCases(plain, ['scope leaves nothing behind in its caller'])).toEqual([]);
    expect(missedCases(plain, ['scope follows awaits'])).toEqual(['leaves nothing behind']);
  });

  it('does not take a case on one driver for the same case on another', () => {
    const sqliteOnly = [
      'per-request on sqlite release-on-abort: x',
      'per-request on sqlite never-dirty: y',
    ];
    expect(missedCases(suite, sqliteOnly)).toEqual([
      'postgres release-on-abort',
      'postgres never-dirty',
    ]);
  });
});
