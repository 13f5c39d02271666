import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Variables the code reads that no user sets for `npm test`: each sample
 * app's own settings, which its test harness or the bench hands to the
 * app's process, and PATH, which turbo always passes.
 */
const SET_BY_THE_CODE = new Set(['PATH', 'PORT', 'DATABASE_URL', 'MAX_CONNECTIONS', 'APP_SECRET']);

function passedThrough(): string[] {
  const turbo = JSON.parse(readFileSync(join(ROOT, 'turbo.json'), 'utf8')) as {
    globalPassThroughEnv?: string[];
  };
  return turbo.globalPassThroughEnv ?? [];
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) {
      return [];
    }
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/**
 * turbo runs every task with only the variables it is told to pass: a
 * variable the README or an error message tells a user to set (PG_URL,
 * PGBOUNCER_BIN, CHROMIUM_BIN, FUZZ_RUNS) would otherwise never reach the
 * test that reads it, and neither would the certificate and proxy settings
 * an `npm install` inside a test needs behind a proxy that re-signs TLS.
 */
describe('turbo.json', () => {
  it('passes every variable the code reads from the environment through to the tasks', () => {
    const pass = new Set(passedThrough());
    const read = new Map<string, string>();
    for (const file of sources(ROOT)) {
      for (const match of readFileSync(file, 'utf8').matchAll(
        /process\.env(?:\.([A-Z_][A-Z0-9_]*)|\[['"]([A-Z_][A-Z0-9_]*)['"]\])/g,
      )) {
        const name = match[1] ?? match[2] ?? '';
        if (!read.has(name)) read.set(name, relative(ROOT, file));
      }
    }
    expect(read.get('PGBOUNCER_BIN')).toBeDefined();
    const missing = [...read]
      .filter(([name]) => !pass.has(name) && !SET_BY_THE_CODE.has(name))
      .map(([name, file]) => `${name} (read in ${file})`);
    expect(missing).toEqual([]);
  });

  it('passes the settings npm and Node need to reach the registry from inside a test', () => {
    expect(passedThrough()).toEqual(
      expect.arrayContaining([
        'NODE_EXTRA_CA_CERTS',
        'SSL_CERT_FILE',
        'HTTPS_PROXY',
        'https_proxy',
        'NO_PROXY',
        'LIFETIMES_RUNTIMES_CACHE',
      ]),
    );
  });
});
