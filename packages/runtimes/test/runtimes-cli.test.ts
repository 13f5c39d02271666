import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// Only the answers that come before anything is fetched, built or swapped.
const cli = (...args: string[]) =>
  spawnSync(
    process.execPath,
    ['--conditions=@lifetimes/source', '--import', 'tsx', 'src/runtimes-cli.ts', ...args],
    { encoding: 'utf8', timeout: 60_000 },
  );

describe('npm run test:runtimes', () => {
  it('explains itself with --help', () => {
    const { status, stdout } = cli('--help');
    expect(status).toBe(0);
    expect(stdout).toContain('npm run test:runtimes -- 22,24');
    expect(stdout).toContain('LIFETIMES_RUNTIMES_CACHE');
  });

  it('asks for the runtimes when none are named, with the usage', () => {
    const { status, stderr } = cli();
    expect(status).toBe(2);
    expect(stderr).toContain('Name the runtimes as one list, e.g. 22,24.');
    expect(stderr).toContain('--filter=@lifetimes/core');
  });

  it('refuses a list it cannot read before fetching anything', () => {
    const { status, stderr, stdout } = cli('22,v24');
    expect(status).toBe(2);
    expect(stderr).toContain('"v24" is not a Node major');
    expect(stdout).toBe('');
  });
});
