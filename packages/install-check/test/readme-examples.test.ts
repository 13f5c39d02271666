import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installablePackages } from '../src/repository.js';

const PACKAGES = installablePackages().map(({ dir, manifest }) => ({ dir, name: manifest.name }));
const WITH_EXAMPLE = PACKAGES.filter(({ dir }) => existsSync(join(dir, 'examples', 'express.mjs')));

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

  // The example the install test runs is the one a reader copies: a change to
  // either without the other fails here.
  it.each(WITH_EXAMPLE)('$name shows examples/express.mjs exactly', ({ dir }) => {
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    const example = readFileSync(join(dir, 'examples', 'express.mjs'), 'utf8');
    expect(readme).toContain(`\`\`\`js\n${example}\`\`\`\n`);
  });

  // A package the example imports but the install line leaves out would
  // resolve only by luck, as a dependency of a dependency.
  it.each(WITH_EXAMPLE)('$name installs every package its example imports', ({ dir }) => {
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    const example = readFileSync(join(dir, 'examples', 'express.mjs'), 'utf8');
    const installed = /^npm install (.+)$/m.exec(readme)?.[1]?.split('#')[0]?.trim().split(/\s+/);
    const imported = [...example.matchAll(/^import .* from '([^.][^']*)';$/gm)].map(
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
