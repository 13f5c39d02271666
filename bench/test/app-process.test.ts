import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AppProcess } from '../src/shared/app-process.js';
import { pinsApps } from '../src/shared/pins-apps.js';

const CORES_SERVER = fileURLToPath(new URL('./support/cores-server.ts', import.meta.url));
const TAKEN_PORT_SERVER = fileURLToPath(new URL('./support/taken-port-server.ts', import.meta.url));

/** The cores each thread of `pid` may run on, as /proc lists them ("0", "0-1"). */
function threadCores(pid: number): string[] {
  return readdirSync(`/proc/${pid}/task`).map(
    (tid) =>
      /Cpus_allowed_list:\s*(\S+)/.exec(
        readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8'),
      )?.[1] ?? '',
  );
}

/** This process's own mask, restored after `fn` whatever it does. */
function withOwnCores(cores: string, fn: () => Promise<void>): Promise<void> {
  const own = threadCores(process.pid)[0] ?? '';
  execFileSync('taskset', ['-pc', cores, String(process.pid)], { stdio: 'ignore' });
  return fn().finally(() => {
    execFileSync('taskset', ['-pc', own, String(process.pid)], { stdio: 'ignore' });
  });
}

// A pinned run pins the bench to core 1 and its apps to core 0. The apps of
// a run start together: pinned from the start, their loading queued on core
// 0 alone; so an app starts on every core and is pinned, every thread of it,
// once it answers.
describe.runIf(pinsApps(true) && cpus().length > 1)('an app pinned to a core', () => {
  it('loads on every core, even from a bench pinned to another, and runs on its core once ready', async () => {
    await withOwnCores('1', async () => {
      const app = await AppProcess.start({
        entry: CORES_SERVER,
        cwd: fileURLToPath(new URL('.', import.meta.url)),
        env: {},
        core: 0,
      });
      try {
        expect(app.output).toContain(`loaded on cores 0-${cpus().length - 1}\n`);
        expect(new Set(threadCores(app.pid))).toEqual(new Set(['0']));
      } finally {
        expect((await app.stop()).code).toBe(0);
      }
    });
  });
});

describe('an app started with others', () => {
  const start = (entry: string) =>
    AppProcess.start({
      entry,
      cwd: fileURLToPath(new URL('.', import.meta.url)),
      env: {},
      core: undefined,
    });

  // A port picked by the bench and handed down can be taken before the app
  // binds it; the app then exits, and whatever holds the port answers its
  // URL. Each app takes its port from the kernel and says which.
  it('answers at the URL it said it listens on, from its own process, however many start at once', async () => {
    const apps = await Promise.all(Array.from({ length: 8 }, () => start(CORES_SERVER)));
    try {
      for (const app of apps) {
        expect(app.output).toContain(`listening on ${app.url}`);
        expect(await (await fetch(`${app.url}/health`)).text()).toBe(String(app.pid));
      }
      expect(new Set(apps.map((app) => app.url)).size).toBe(apps.length);
    } finally {
      await Promise.all(apps.map((app) => app.stop()));
    }
  });

  it('is not taken as ready when it exits before saying where it listens', async () => {
    await expect(start(TAKEN_PORT_SERVER)).rejects.toThrow(
      /exited before it was ready[\s\S]*port \d+ is in use/,
    );
  });
});
