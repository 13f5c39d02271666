import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPackages } from '../src/build-packages.js';
import { entryPoints, installablePackages, REPOSITORY, readManifest } from '../src/repository.js';

const PACKAGES = installablePackages();

/** api-extractor.json reports a package's main entry point, api-extractor.<entry>.json each other one. */
const REPORTS = PACKAGES.flatMap(({ dir, manifest }) =>
  readdirSync(dir)
    .filter((file) => /^api-extractor(\.[a-z-]+)?\.json$/.test(file))
    .map((config) => ({ config: join(dir, config), name: `${manifest.name} (${config})` })),
);

beforeAll(async () => {
  await buildPackages(PACKAGES);
});

describe("the library packages' public API", () => {
  // A change to what a package exports is a change for every service that
  // installed it: it shows up in review as a diff of api/<name>.api.md.
  it('has a report for every entry point a user can import', () => {
    for (const { manifest } of PACKAGES) {
      const reports = REPORTS.filter(({ name }) => name.startsWith(`${manifest.name} (`));
      expect(reports.length, manifest.name).toBe(entryPoints(manifest).length);
    }
    expect(entryPoints(readManifest(join(REPOSITORY, 'packages', 'core')))).toContain(
      '@lifetimes/core/authoring',
    );
  });

  it.each(REPORTS)('$name matches its committed API report', ({ config, name }) => {
    const messages: string[] = [];
    const result = Extractor.invoke(ExtractorConfig.loadFileAndPrepare(config), {
      localBuild: false,
      messageCallback: (message) => {
        message.handled = true;
        messages.push(message.text);
      },
    });
    expect(
      result.apiReportChanged,
      `${name}'s public API changed. If that is intended, run \`npx turbo run api\` and commit ` +
        `its api/ report with the change:\n${messages.join('\n')}`,
    ).toBe(false);
    expect(result.succeeded, messages.join('\n')).toBe(true);
  });
});
