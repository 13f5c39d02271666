import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readmeExample } from '../src/readme-example.js';
import { installablePackages } from '../src/repository.js';

const PACKAGES = installablePackages().map(({ dir, manifest }) => ({
  dir,
  name: manifest.name,
  example: readmeExample(dir),
}));
const WITH_EXAMPLE = PACKAGES.filter(({ example }) => example !== undefined);

describe("the library packages' READMEs", () => {
  it('has an express example for every strategy and for tenants', () => {
    expect(WITH_EXAMPLE.map(({ name }) => name).sort()).toEqual([
      '@lifetimes/baseline',
      '@lifetimes/per-query',
      '@lifetimes/per-request',
      '@lifetimes/pooled-registry',
      '@lifetimes/scoped-session',
      '@lifetimes/tenants',
    ]);
  });

  // A whole app, as the install test runs it: it listens and stops on SIGTERM.
  it.each(WITH_EXAMPLE)('$name shows a whole app that starts and stops', ({ example }) => {
    expect(example).toMatch(/\.listen\(/);
    expect(example).toMatch(/process\.once\('SIGTERM'/);
  });

  // A package the example imports but the install line leaves out would
  // resolve only by luck, as a dependency of a dependency.
  it.each(WITH_EXAMPLE)('$name installs every package its example imports', ({ dir, example }) => {
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    const installed = /^npm install (.+)$/m.exec(readme)?.[1]?.split('#')[0]?.trim().split(/\s+/);
    const imported = [...(example ?? '').matchAll(/^import .* from '([^.][^']*)';$/gm)].map(
      (match) => match[1],
    );
    expect(imported.length).toBeGreaterThan(0);
    expect(installed).toEqual(expect.arrayContaining(imported));
  });

  it.each(PACKAGES)('$name links only to files that exist', ({ dir }) => {
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\((?!https?:)([^)#]+)(?:#[^)]*)?\)/g)].map(
      (match) => match[1] ?? '',
    );
    expect(links.filter((link) => !existsSync(join(dir, link)))).toEqual([]);
    expect(readme).toMatch(/\]\(\.\.\/\.\.\/docs\/[^)]+\.md\)/);
  });
});
