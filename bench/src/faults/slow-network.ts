import { setTimeout as sleep } from 'node:timers/promises';
import { profileNamed } from '@lifetimes/strategies';
import { expectLedger, LEDGER_CLIENTS, LEDGER_PAUSE_MS } from './checks.js';
import type { FaultScenario } from './fault-scenario.js';
import { type Latency, LatencyProxy } from './latency-proxy.js';
import { Ledger } from './ledger.js';
import type { FaultStrategy } from './options.js';
import { ResultBuilder } from './result-builder.js';
import { Subject } from './subject.js';

const QUERIES = 3;
const PATH = `/queries?queries=${QUERIES}`;
const SLOW: Latency = { delayMs: 2, handshakeMs: 100 };
/**
 * The share of a held handshake a new connection is sure to add: PostgreSQL
 * starts a backend as soon as the TCP connection arrives, so the start-up
 * the fast phase already paid (10 to 25 ms on 2 busy cores) runs during the hold.
 */
const HANDSHAKE_SHARE = 0.75;

/**
 * New connections one request makes once the app is warm: a connection per
 * query, one per request, or none (a pool's connections outlive requests).
 */
function handshakes(strategy: FaultStrategy): number {
  const { connectionPer, pools } = profileNamed(strategy);
  if (pools) return 0;
  return connectionPer === 'query' ? QUERIES : 1;
}

interface Phase {
  readonly medianMs: number;
  /** Connections the app opened through the proxy, per request. */
  readonly handshakesPerRequest: number;
}

/** `count` GETs one after another: each pays its own connections' cost, none hides behind another. */
async function phase(url: string, proxy: LatencyProxy, count: number): Promise<Phase> {
  const before = proxy.connections;
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const response = await fetch(`${url}${PATH}`);
    await response.text();
    if (response.status !== 200) throw new Error(`GET ${PATH} answered ${response.status}.`);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return {
    medianMs: times[Math.floor(times.length / 2)] ?? 0,
    handshakesPerRequest: (proxy.connections - before) / count,
  };
}

const round = (ms: number) => Math.round(ms * 10) / 10;

export const slowNetwork: FaultScenario = {
  name: 'slow-network',
  number: '5',
  title: 'Slow network',
  drivers: ['postgres'],
  setup: `The app on a fresh database, connected to PostgreSQL through a TCP proxy in the harness. GET ${PATH} one request after another, first with the proxy passing bytes straight through, then with it slow; a few requests before each phase warm the app up. Then the write ledger sends transfers through the slow network.`,
  fault: `The proxy delays every chunk ${SLOW.delayMs} ms each way (a round trip costs ${2 * SLOW.delayMs} ms) and holds each new connection ${SLOW.handshakeMs} ms before its first byte reaches the server: a slow network, with a slow handshake.`,
  expected: `per-query pays the handshake on every query (${QUERIES} per request), per-request once per request; the pooled strategies (baseline, scoped-session, pooled-registry) open no connection once warm and pay only round trips, less than one handshake per request.`,
  figure:
    'The ratio of the median request time slow to fast, the milliseconds the slow network added to it, and the connections opened per request while slow (counted by the proxy).',
  byDesign: {},
  columns: ['fastMs', 'slowMs', 'ratio', 'addedMs', 'handshakesPerRequest'],
  headline: (f) => `×${f.ratio} · +${f.addedMs} ms`,
  async run(context) {
    const result = new ResultBuilder();
    const owned = await context.own({});
    const target = new URL(owned.database.url);
    const proxy = await LatencyProxy.start({
      host: target.hostname,
      port: Number(target.port || 5432),
    });
    context.defer(() => proxy.close());
    // A second app on the same database, through the proxy; the first one
    // only made the database (schema and seed) and stops here.
    await owned.app.stop();
    const proxied = new URL(owned.database.url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    const subject = await Subject.start(context.strategy, {
      ...owned.database,
      url: proxied.toString(),
    });
    context.defer(() => subject.app.stop());
    const count = context.quick ? 6 : 20;
    await phase(subject.url, proxy, 3);
    const fast = await phase(subject.url, proxy, count);
    proxy.set(SLOW);
    await phase(subject.url, proxy, 2);
    const slow = await phase(subject.url, proxy, count);
    // The ledger runs after the measurement, so its transfers do not time it,
    // but still through the slow network.
    const before = await subject.database.balances();
    const ledger = new Ledger();
    context.defer(() => ledger.stop());
    ledger.start(subject.url, LEDGER_CLIENTS, LEDGER_PAUSE_MS);
    await sleep(context.quick ? 1000 : 2000);
    await ledger.stop();
    proxy.set({ delayMs: 0, handshakeMs: 0 });

    const added = slow.medianMs - fast.medianMs;
    const expected = handshakes(context.strategy);
    result.figures.fastMs = round(fast.medianMs);
    result.figures.slowMs = round(slow.medianMs);
    result.figures.ratio = (slow.medianMs / Math.max(0.1, fast.medianMs)).toFixed(1);
    result.figures.addedMs = round(added);
    result.figures.handshakesPerRequest = round(slow.handshakesPerRequest);
    result.expect(
      'the network was slow: every query paid for its delayed answer',
      added >= QUERIES * SLOW.delayMs,
      `${round(added)} ms added per request; ${QUERIES} answers, each delayed ${SLOW.delayMs} ms, add at least ${QUERIES * SLOW.delayMs} ms`,
    );
    result.expect(
      `${expected} connections opened per request`,
      Math.abs(slow.handshakesPerRequest - expected) < 0.5,
      `${round(slow.handshakesPerRequest)} per request while slow, ${round(fast.handshakesPerRequest)} while fast`,
    );
    result.expect(
      expected === 0
        ? 'less than one handshake added per request'
        : `at least ${expected} handshake${expected > 1 ? 's' : ''} added per request`,
      expected === 0
        ? added < SLOW.handshakeMs
        : added >= expected * SLOW.handshakeMs * HANDSHAKE_SHARE,
      `${round(added)} ms added per request; a handshake costs ${SLOW.handshakeMs} ms, at least ${SLOW.handshakeMs * HANDSHAKE_SHARE} of it added`,
    );
    expectLedger(result, before, ledger, await subject.database.balances());
    return result.result();
  },
};
