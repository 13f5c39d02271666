import type { LifetimeStats } from '@lifetimes/core';
import { eventually } from '@lifetimes/core/contract';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import type { AppContext } from './app-context.js';
import { getJson } from './http-call.js';
import { CHROMIUM_MISSING, type SharedChromium } from './shared-chromium.js';

/** What the page says it drew, and what its last burst got, read off the page itself. */
interface Shown {
  requests: number;
  opens: number;
  closes: number;
  waits: number;
  timeouts: number;
  openNow: number;
  heldNow: number;
  requestsNow: number;
  engines: number;
  evictions: number;
  engineCloses: number;
  burst: { state: string; sent: number; ok: number; unavailable: number; other: number };
}

const BROWSER_CASE_MS = 60_000;
/** What Chromium logs for every answer that is not a 2xx; the 503s are what the page shows. */
const UNAVAILABLE_LOGGED = /status of 503 \(Service Unavailable\)/;

async function shown(page: Page): Promise<Shown> {
  const number = async (id: string) => Number(await page.locator(`#${id}`).textContent());
  return {
    requests: await number('drawn-requests'),
    opens: await number('drawn-opens'),
    closes: await number('drawn-closes'),
    waits: await number('drawn-waits'),
    timeouts: await number('drawn-timeouts'),
    openNow: await number('open-now'),
    heldNow: await number('held-now'),
    requestsNow: await number('requests-now'),
    engines: await number('drawn-engines'),
    evictions: await number('drawn-evictions'),
    engineCloses: await number('drawn-engine-closes'),
    burst: {
      state: (await page.locator('#burst-state').textContent()) ?? '',
      sent: await number('burst-sent'),
      ok: await number('burst-ok'),
      unavailable: await number('burst-503'),
      other: await number('burst-other'),
    },
  };
}

/** Fills in the page's form and sends the burst from the browser; resolves with what the page shows once it is done and every request has ended. */
async function burst(
  page: Page,
  route: string,
  count: number,
  concurrency: number,
  tenants: readonly string[] = [],
) {
  const before = await shown(page);
  await page.selectOption('select[name=route]', route);
  await page.fill('input[name=count]', String(count));
  await page.fill('input[name=concurrency]', String(concurrency));
  await page.fill('input[name=tenants]', tenants.join(', '));
  await page.click('#burst button[type=submit]');
  await eventually(
    'the burst is done',
    async () => (await shown(page)).burst.state === 'done',
    30_000,
  );
  // The feed writes its events in 25 ms batches and scopes end on the
  // response's close, so the answers can reach the browser before the events
  // that drew them: wait until every request of the burst is drawn, and ended.
  await eventually(
    `the page drew the burst's ${count} requests, each ended, and every connection given back`,
    async () => {
      const now = await shown(page);
      return now.requests >= before.requests + count && now.requestsNow === 0 && now.heldNow === 0;
    },
  );
  return shown(page);
}

/** The live view in a real browser: what a burst from its form draws, per the strategy's profile. */
export function livePageCases(ctx: AppContext, chromium: SharedChromium): void {
  const { spec } = ctx;
  const installed = chromium.executable !== undefined;
  if (!installed && ctx.dialect === 'sqlite') {
    console.warn(`Skipping the app suite's live view browser cases. ${CHROMIUM_MISSING}`);
  }
  // /whoami runs two queries: per-query opens a connection for each.
  const opensPerWhoami = spec.connectionPer === 'query' ? 2 : 1;
  const holds = spec.connectionPer === 'scope';

  /** Opens /live and waits for its stream's hello, so nothing the case does is missed. */
  const openLive = async (base: string) => {
    const opened = await chromium.open(`${base}/live`);
    await eventually(
      'the page names the strategy',
      async () =>
        (await opened.page.locator('#strategy').textContent()) === `${spec.name} on ${ctx.dialect}`,
    );
    return opened;
  };

  it.skipIf(!installed)(
    `live view in Chromium: a burst of 50 /whoami from the page's form ${spec.pools ? 'draws no opening once the pool is warm' : `draws ${50 * opensPerWhoami} openings and as many closes`}`,
    async () => {
      const { base } = await ctx.serve({ liveView: true, maxConnections: 2 });
      await using live = await openLive(base);
      const warm = await burst(live.page, '/whoami', 50, 8);
      expect(warm.burst).toMatchObject({ sent: 50, ok: 50, unavailable: 0, other: 0 });
      const after = await burst(live.page, '/whoami', 50, 8);
      expect(after.burst).toMatchObject({ sent: 50, ok: 50, unavailable: 0, other: 0 });
      expect(after.requests - warm.requests).toBeGreaterThanOrEqual(50);
      expect(after.opens - warm.opens).toBe(spec.pools ? 0 : 50 * opensPerWhoami);
      if (!spec.pools) {
        await eventually('the page drew every connection closed', async () => {
          const now = await shown(live.page);
          return now.openNow === 0 && now.closes === now.opens;
        });
      }
      // The page saw what the strategy counted.
      const stats = await getJson<LifetimeStats>(base, '/stats');
      expect((await shown(live.page)).opens).toBe(stats.opened);
      expect(live.errors).toEqual([]);
    },
    BROWSER_CASE_MS,
  );

  it.skipIf(!installed)(
    `live view in Chromium: a burst of /slow past a cap of one connection ${holds ? 'draws waits and the 503s' : 'draws each timeout as the 503 it answers'}, and every request ends`,
    async () => {
      const { base } = await ctx.serve({
        liveView: true,
        maxConnections: 1,
        acquireTimeoutMs: 100,
      });
      await using live = await openLive(base);
      const result = await burst(live.page, '/slow?ms=50', 40, 64);
      expect(result.burst.sent).toBe(40);
      expect(result.burst.ok + result.burst.unavailable).toBe(40);
      if (holds) {
        // Each request holds the only connection through its wait, so
        // those queued behind two of them give up at the acquire timeout.
        expect(result.burst.unavailable).toBeGreaterThan(0);
        expect(result.waits).toBeGreaterThan(0);
      }
      await eventually('the page drew every wait and timeout the strategy counted', async () => {
        const [now, stats] = [await shown(live.page), await getJson<LifetimeStats>(base, '/stats')];
        return now.waits === stats.waits && now.timeouts === stats.timeouts;
      });
      // The feed writes its events every 25 ms: the last timeout can reach the page after the burst's answers.
      await eventually(
        'the page drew a timeout for every 503 the burst got',
        async () => (await shown(live.page)).timeouts === result.burst.unavailable,
      );
      if (!spec.pools) {
        await eventually('the page drew every connection closed', async () => {
          const now = await shown(live.page);
          return now.openNow === 0 && now.closes === now.opens;
        });
      }
      expect(live.errors.filter((error) => !UNAVAILABLE_LOGGED.test(error))).toEqual([]);
    },
    BROWSER_CASE_MS,
  );

  it.skipIf(!installed || !spec.servesManyDatabases)(
    'live view in Chromium: tenants created from the page, then a burst over more of them than the registry keeps engines, draw each engine made, evicted and closed',
    async () => {
      const { base } = await ctx.serve({ liveView: true, maxDatabases: 2 });
      await using live = await openLive(base);
      const { page } = live;
      const tenants = ['live-a', 'live-b', 'live-c'];
      await page.fill('#tenants input[name=ids]', tenants.join(', '));
      await page.fill('#tenants input[name=token]', ctx.adminToken);
      await page.click('#tenants button[type=submit]');
      await eventually(
        'the page says each tenant was created',
        async () =>
          (await page.locator('#tenants-result').textContent()) ===
          tenants.map((id) => `${id}: created`).join('\n'),
        30_000,
      );
      // Three tenants in turn through two engines: every request past the
      // first two needs an engine the registry no longer keeps.
      const result = await burst(page, '/whoami', 30, 3, tenants);
      expect(result.burst).toMatchObject({ sent: 30, ok: 30, unavailable: 0, other: 0 });
      const stats = await getJson<LifetimeStats>(base, '/stats');
      expect(stats.enginesEvicted).toBeGreaterThan(0);
      // The page saw what the registry counted: every engine made (the
      // buildings of the tenants too), evicted and closed.
      await eventually('the page drew every engine event the registry counted', async () => {
        const [now, counted] = [await shown(page), await getJson<LifetimeStats>(base, '/stats')];
        return (
          now.engines === counted.enginesCreated &&
          now.evictions === counted.enginesEvicted &&
          now.engineCloses === counted.enginesCreated - counted.enginesOpen
        );
      });
      expect(live.errors).toEqual([]);
    },
    BROWSER_CASE_MS,
  );

  it.skipIf(!installed)(
    'live view in Chromium: the form refuses a burst past 2000 requests or 64 at once, and clamps one that gets past its checks',
    async () => {
      const { base } = await ctx.serve({ liveView: true });
      await using live = await openLive(base);
      const { page } = live;
      await page.fill('input[name=count]', '2001');
      await page.click('#burst button[type=submit]');
      expect(await page.locator('input[name=count]:invalid').count()).toBe(1);
      expect((await shown(page)).burst).toMatchObject({ state: 'idle', sent: 0 });
      // A tenant id the server would refuse with a 400: nothing is sent.
      await page.fill('input[name=count]', '10');
      await page.fill('input[name=tenants]', 'acme, ../etc');
      await page.click('#burst button[type=submit]');
      expect((await shown(page)).burst).toMatchObject({
        state: expect.stringContaining('"../etc" is not a tenant id'),
        sent: 0,
      });
      await page.fill('input[name=tenants]', '');
      // A submit event that skips the browser's checks, as an edited page could send.
      await page.fill('input[name=count]', '10');
      await page.fill('input[name=concurrency]', '500');
      await page.locator('#burst').dispatchEvent('submit');
      await eventually('the burst is done', async () => (await shown(page)).burst.state === 'done');
      expect(await page.inputValue('input[name=concurrency]')).toBe('64');
      expect((await shown(page)).burst).toMatchObject({ sent: 10, ok: 10 });
      expect(live.errors).toEqual([]);
    },
    BROWSER_CASE_MS,
  );
}
