import { afterAll, afterEach, beforeAll, describe } from 'vitest';
import type { DialectName } from '../database-url.js';
import { closeCases } from './close-cases.js';
import { ContractContext } from './contract-context.js';
import type { ContractSpec } from './contract-spec.js';
import { failureCases } from './failure-cases.js';
import { identityCases } from './identity-cases.js';
import { leakCases } from './leak-cases.js';
import { releaseCases } from './release-cases.js';
import { scopeCases } from './scope-cases.js';
import { transactionCases } from './transaction-cases.js';

const DIALECTS: readonly DialectName[] = ['sqlite', 'postgres'];

/**
 * The contract every strategy runs, on real SQLite and real PostgreSQL:
 * which connection ran each query, when it was opened and released, and
 * what happens on errors, aborts, dead backends and close(). A strategy's
 * test file is one call: `runContractSuite({ name, create, ... })`.
 */
export function runContractSuite(spec: ContractSpec): void {
  for (const dialect of DIALECTS) {
    describe(`${spec.name} on ${dialect}`, () => {
      const ctx = new ContractContext(spec, dialect);
      beforeAll(() => ctx.setup());
      afterEach(() => ctx.closeAll());
      afterAll(() => ctx.teardown());
      identityCases(ctx);
      releaseCases(ctx);
      scopeCases(ctx);
      transactionCases(ctx);
      failureCases(ctx);
      closeCases(ctx);
      leakCases(ctx);
    });
  }
}
