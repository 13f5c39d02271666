import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { StrategyProfile } from '@lifetimes/core';
import { createScratchDatabase, freePort, startPostgres } from '@lifetimes/databases';
import { PROFILES } from '@lifetimes/strategies';
import { CHROMIUM_MISSING, SharedChromium } from '../contract/shared-chromium.js';

/**
 * `npm run screenshots -w @lifetimes/app`: each app's live view on
 * PostgreSQL (PG_URL, or an embedded server), as a learner would see it
 * after pushing a burst of /slow past a cap of two connections, saved to
 * docs/pictures/live-<strategy>.png. Where one instance serves many
 * databases (pooled-registry), the page first creates three tenants and the
 * burst takes turns over them with room for two engines, so the picture
 * shows engines evicted too.
 */
const REPOSITORY = fileURLToPath(new URL('../../../../', import.meta.url));
const PICTURES = resolve(REPOSITORY, 'docs/pictures');
/** Small enough that a burst of 16 at once queues, so the picture shows waits where a lifetime holds its connection. */
const CAP = 2;
const TENANTS = ['acme', 'globex', 'initech'];
/** The admin credential of an app that only ever listens on 127.0.0.1 for this script. */
const ADMIN_TOKEN = 'live-screenshots';

/** Polls `check` every 50 ms; fails naming `what` after `timeoutMs`. (This runs outside vitest, so without its waitFor.) */
async function until(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline)
      throw new Error(`Gave up waiting for ${what} after ${timeoutMs} ms.`);
    await sleep(50);
  }
}

const tsx = createRequire(import.meta.url).resolve('tsx/cli');
const chromium = new SharedChromium();
if (!chromium.executable) {
  console.error(CHROMIUM_MISSING);
  process.exit(1);
}
await mkdir(PICTURES, { recursive: true });
const server = await startPostgres();
try {
  for (const { name, servesManyDatabases } of PROFILES as readonly StrategyProfile[]) {
    const database = await createScratchDatabase(server.adminUrl, 'lifetimes_live');
    const port = await freePort();
    const entry = fileURLToPath(new URL(`../../../../apps/${name}/src/server.ts`, import.meta.url));
    // As the app's `start` script runs it: every workspace package from its sources.
    const app = spawn(process.execPath, [tsx, '--conditions=@lifetimes/source', entry], {
      cwd: resolve(entry, '../..'),
      env: {
        ...process.env,
        PORT: String(port),
        DATABASE_URL: database.url,
        LIVE_VIEW: '1',
        MAX_CONNECTIONS: String(CAP),
        ACQUIRE_TIMEOUT_MS: '1000',
        ADMIN_TOKEN,
        MAX_ENGINES: String(TENANTS.length - 1),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    app.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    try {
      await until(
        `${name} to listen`,
        async () => {
          if (app.exitCode !== null) throw new Error(`${name} exited while starting:\n${output}`);
          return output.includes('listening on http://');
        },
        60_000,
      );
      await using live = await chromium.open(`http://127.0.0.1:${port}/live`);
      const { page } = live;
      await page.setViewportSize({ width: 1280, height: 900 });
      if (servesManyDatabases) {
        await page.fill('#tenants input[name=ids]', TENANTS.join(', '));
        await page.fill('#tenants input[name=token]', ADMIN_TOKEN);
        await page.click('#tenants button[type=submit]');
        const answers = async () =>
          ((await page.locator('#tenants-result').textContent()) ?? '').split('\n');
        await until(
          'the page to say what became of each tenant',
          async () => (await answers()).length === TENANTS.length,
          60_000,
        );
        const refused = (await answers()).filter((line) => !line.endsWith(': created'));
        if (refused.length > 0) throw new Error(`Tenants not created:\n${refused.join('\n')}`);
        await page.fill('input[name=tenants]', TENANTS.join(', '));
      }
      await page.selectOption('select[name=route]', '/slow?ms=50');
      await page.fill('input[name=count]', '60');
      await page.fill('input[name=concurrency]', '16');
      await page.click('#burst button[type=submit]');
      await until(
        'the burst to be done',
        async () => (await page.locator('#burst-state').textContent()) === 'done',
        60_000,
      );
      await until(
        'every request drawn as ended',
        async () => (await page.locator('#requests-now').textContent()) === '0',
        10_000,
      );
      // /stats is polled once a second: wait until it, too, shows the burst
      // over (its own request is the one scope it may count).
      await until(
        '/stats to show no connection held and at most its own scope open',
        async () =>
          (await page.locator('#stats-active').textContent()) === '0' &&
          Number(await page.locator('#stats-scopesOpen').textContent()) <= 1,
        10_000,
      );
      const file = resolve(PICTURES, `live-${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      process.stdout.write(`wrote ${file}\n`);
    } finally {
      if (app.exitCode === null && app.signalCode === null) {
        const exited = once(app, 'exit');
        app.kill('SIGTERM');
        await exited;
      }
      await database.drop();
    }
  }
} finally {
  await chromium.close();
  await server.stop();
}
