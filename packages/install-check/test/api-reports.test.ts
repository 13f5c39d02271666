import { join } from 'node:path';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPackages } from '../src/build-packages.js';
import { installablePackages } from '../src/repository.js';

const PACKAGES = installablePackages();

beforeAll(async () => {
  await buildPackages(PACKAGES);
});

describe("the library packages' public API", () => {
  // A change to what a package exports is a change for every service that
  // installed it: it shows up in review as a diff of api/<name>.api.md.
  it.each(PACKAGES.map(({ dir, manifest }) => ({ dir, name: manifest.name })))(
    '$name matches its committed API report',
    ({ dir, name }) => {
      const messages: string[] = [];
      const result = Extractor.invoke(
        ExtractorConfig.loadFileAndPrepare(join(dir, 'api-extractor.json')),
        {
          localBuild: false,
          messageCallback: (message) => {
            message.handled = true;
            messages.push(message.text);
          },
        },
      );
      expect(
        result.apiReportChanged,
        `${name}'s public API changed. If that is intended, run \`npx turbo run api\` and commit ` +
          `its api/ report with the change:\n${messages.join('\n')}`,
      ).toBe(false);
      expect(result.succeeded, messages.join('\n')).toBe(true);
    },
  );
});
