import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { outliveChild } from '../src/outlive-child.js';

describe('outliveChild', () => {
  it("reports the child's exit, and holds the signal listeners only while the child runs", async () => {
    const before = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => process.exit(3), 50)']);
    const exit = outliveChild(child);
    expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual([
      (before[0] ?? 0) + 1,
      (before[1] ?? 0) + 1,
    ]);
    expect(await exit).toEqual({ code: 3, signal: null });
    expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual(before);
  });

  it('reports a child ended by a signal', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10_000)']);
    const exit = outliveChild(child);
    child.kill('SIGKILL');
    expect(await exit).toEqual({ code: null, signal: 'SIGKILL' });
  });
});
