import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROFILE_NAMES, PROFILES, profileNamed } from '../src/index.js';

const repo = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));
const read = (path: string) => readFileSync(repo(path), 'utf8');

/** The name a strategy package exports its profile under (its app and tests import that name). */
async function exportedAs(profile: (typeof PROFILES)[number]): Promise<string | undefined> {
  const exports: Record<string, unknown> = await import(`@lifetimes/${profile.name}`);
  return Object.entries(exports).find(([, value]) => value === profile)?.[0];
}

describe('PROFILES', () => {
  it('names every strategy once', () => {
    expect(new Set(PROFILE_NAMES).size).toBe(PROFILES.length);
    expect(PROFILE_NAMES[0]).toBe('baseline');
  });

  // What adding a profile to the list requires, so a new strategy cannot be half wired.
  it.each(PROFILES.map((profile) => [profile.name, profile] as const))(
    '%s: its package exports it and runs the contract suite on it; its app builds and serves it',
    async (name, profile) => {
      const exportName = await exportedAs(profile);
      expect(exportName, `@lifetimes/${name} must export its profile`).toBeDefined();
      expect(read(`packages/${name}/test/contract.test.ts`)).toContain(
        `runContractSuite(${exportName})`,
      );
      expect(read(`apps/${name}/src/app.ts`)).toContain(`${exportName}.create<Database>(`);
      expect(read(`apps/${name}/src/server.ts`)).toContain(`name: ${exportName}.name`);
      expect(read(`apps/${name}/test/app.test.ts`)).toContain(`...${exportName},`);
      expect(existsSync(repo(`docs/strategies/${name}.md`)), `docs/strategies/${name}.md`).toBe(
        true,
      );
    },
  );

  it.each(PROFILES.map((profile) => [profile.name, profile] as const))(
    '%s: create() builds the strategy it names, taking the common settings',
    async (name, profile) => {
      const dir = mkdtempSync(join(tmpdir(), 'lifetimes-profile-'));
      const strategy = profile.create(`sqlite:${join(dir, 'p.db')}`, {
        maxConnections: 1,
        acquireTimeoutMs: 50,
      });
      try {
        expect(strategy.name).toBe(name);
        expect(strategy.dialect).toBe('sqlite');
      } finally {
        await strategy.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('refuses a name no profile has, listing the names', () => {
    expect(() => profileNamed('per-thread')).toThrow(
      'No strategy is named "per-thread": choose one of baseline, per-query, per-request, scoped-session, pooled-registry.',
    );
  });
});
