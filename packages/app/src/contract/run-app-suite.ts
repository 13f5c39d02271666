import type { DialectName } from '@lifetimes/core';
import { afterAll, afterEach, beforeAll, describe } from 'vitest';
import { AppContext } from './app-context.js';
import type { AppSuiteSpec } from './app-suite-spec.js';
import { authCases } from './auth-cases.js';
import { badInputCases } from './bad-input-cases.js';
import { benchmarkCases } from './benchmark-cases.js';
import { blogCases } from './blog-cases.js';
import { exhaustionCases } from './exhaustion-cases.js';
import { fleetCases } from './fleet-cases.js';
import { fuzzCases } from './fuzz-cases.js';
import { lifetimeCases } from './lifetime-cases.js';
import { liveCases } from './live-cases.js';
import { livePageCases } from './live-page-cases.js';
import { outageCases } from './outage-cases.js';
import { poolerCases } from './pooler-cases.js';
import { SharedChromium } from './shared-chromium.js';
import { shutdownCases } from './shutdown-cases.js';
import { tenantCases } from './tenant-cases.js';
import { transferCases } from './transfer-cases.js';

const DIALECTS: readonly DialectName[] = ['sqlite', 'postgres'];

/**
 * The app contract (every route, status and message the sample apps
 * promise), checked over real HTTP on real SQLite and PostgreSQL. Each app's
 * test file is this one call, so a difference between apps shows up as a
 * failure here rather than in a benchmark.
 */
export function runAppSuite(spec: AppSuiteSpec): void {
  // One browser for both dialects' live view cases, started by the first.
  const chromium = new SharedChromium();
  afterAll(() => chromium.close());
  for (const dialect of DIALECTS) {
    describe(`${spec.name} app on ${dialect}`, () => {
      const ctx = new AppContext(spec, dialect);
      beforeAll(() => ctx.setup());
      afterEach(() => ctx.closeAll());
      afterAll(() => ctx.teardown());
      lifetimeCases(ctx);
      benchmarkCases(ctx);
      transferCases(ctx);
      blogCases(ctx);
      authCases(ctx);
      badInputCases(ctx);
      exhaustionCases(ctx);
      outageCases(ctx);
      tenantCases(ctx);
      fuzzCases(ctx);
      shutdownCases(ctx);
      fleetCases(ctx);
      poolerCases(ctx);
      liveCases(ctx);
      livePageCases(ctx, chromium);
    });
  }
}
