import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { changedLines } from './changed-lines.js';

/**
 * The apps must differ only in their strategy wiring, so that
 * `diff -r apps/per-request apps/scoped-session` shows the strategy and
 * nothing else. Lines each file of a pair may differ by; unlisted files must
 * be identical, and READMEs are free to explain their own lifetime.
 */
const BUDGET: Readonly<Record<string, number>> = {
  // The strategy, its options, its comment; pooled-registry also wires
  // POST /tenants to its catalog.
  'src/app.ts': 16,
  // Name, description, and the strategy dependency, which alphabetical
  // order may move (scoped-session sorts after schema): a removal and an addition.
  'package.json': 4,
  // The profile's import, and its name.
  'src/server.ts': 2,
  // The profile's import, and its spread into the suite's spec.
  'test/app.test.ts': 2,
};
const EXEMPT = new Set(['README.md']);

const appsDir = fileURLToPath(new URL('../../../apps/', import.meta.url));
const apps = readdirSync(appsDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(appsDir, entry.name, 'package.json')))
  .map((entry) => entry.name)
  .sort();

/** The app's files as git sees them (tracked or new, never ignored: no node_modules or data). */
function filesOf(app: string): string[] {
  const dir = join(appsDir, app);
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: dir,
    encoding: 'utf8',
  });
  return listed
    .split('\n')
    .filter((file) => file !== '' && existsSync(join(dir, file)))
    .sort();
}

describe('changedLines', () => {
  it('counts an edited line once, and each added or removed line', () => {
    expect(changedLines('a\nb\nc', 'a\nb\nc')).toBe(0);
    expect(changedLines('a\nb\nc', 'a\nB\nc')).toBe(1);
    expect(changedLines('a\nb\nc', 'a\nc')).toBe(1);
    expect(changedLines('a\nc', 'a\nb1\nb2\nc')).toBe(2);
    expect(changedLines('a\nb\nc\nd', 'x\nb\ny\nz\nd')).toBe(3);
  });
});

describe('apps differ only in their strategy wiring', () => {
  it('there are at least two apps to compare', () => {
    expect(apps.length).toBeGreaterThanOrEqual(2);
  });

  const pairs = apps.flatMap((a, i) => apps.slice(i + 1).map((b) => [a, b] as const));
  it.each(pairs)('apps/%s and apps/%s have the same files, within the line budget', (a, b) => {
    const files = filesOf(a);
    expect(files, `files of apps/${a} vs apps/${b}`).toEqual(filesOf(b));
    for (const file of files.filter((name) => !EXEMPT.has(name))) {
      const left = readFileSync(join(appsDir, a, file), 'utf8');
      const right = readFileSync(join(appsDir, b, file), 'utf8');
      const budget = BUDGET[file] ?? 0;
      expect(
        changedLines(left, right),
        `${file} differs by more than ${budget} lines: run diff apps/${a}/${file} apps/${b}/${file} and move what is not strategy wiring into packages/app`,
      ).toBeLessThanOrEqual(budget);
    }
  });
});
