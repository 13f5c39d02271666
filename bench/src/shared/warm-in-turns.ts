import { runLoad } from './load.js';
import { settle } from './settle.js';
import { WORKLOADS } from './workloads.js';

/** Two consecutive windows whose throughput differs by at most this much: the app is warm. */
const STEADY = 0.05;

export interface WarmOptions {
  readonly windowSec: number;
  /** The most load one app gets, in seconds; an app that reaches it stops warming, settled or not. */
  readonly maxSec: number;
  readonly connections: number;
}

export interface Warmed {
  /** Seconds of load the app took to settle, or the bound when it did not. */
  readonly seconds: number;
  readonly settled: boolean;
}

/** One window of load on one app: how long it really ran and its throughput. */
export type WarmWindow = (
  url: string,
) => Promise<{ readonly durationSec: number; readonly requestsPerSec: number }>;

/**
 * Warms the apps in turns: each turn gives every app one window of `/db`,
 * until every app's last two windows agree within 5% or it reached
 * `maxSec` of load. A fresh process climbs for many seconds (JIT, caches,
 * pool growth); measuring it before it settles measures the climb.
 *
 * In turns, not one app after the other: warmed one by one, the first app
 * then sat idle for the others' whole warm-up, long enough for its pool to
 * close idle connections (pg.Pool's 10 s) and V8 to shrink its heap, and
 * the first workload measured it cooling down and warming up again. In
 * turns, every app's last window is seconds before the first measured
 * round, the same distance apart as the rounds themselves. An app that has
 * settled keeps its turns while others still warm, for the same reason.
 */
export async function warmInTurns(
  urls: readonly string[],
  options: WarmOptions,
  window: WarmWindow = dbWindow(options),
): Promise<Warmed[]> {
  const apps = urls.map((url) => ({
    url,
    seconds: 0,
    previous: undefined as number | undefined,
    warmed: undefined as Warmed | undefined,
  }));
  const hasRoom = (app: (typeof apps)[number]) =>
    app.seconds + options.windowSec <= options.maxSec + 1e-9;
  while (apps.some((app) => app.warmed === undefined && hasRoom(app))) {
    for (const app of apps.filter(hasRoom)) {
      const load = await window(app.url);
      app.seconds += load.durationSec;
      const rate = load.requestsPerSec;
      const previous = app.previous;
      app.previous = rate;
      if (app.warmed || previous === undefined || rate <= 0) continue;
      if (Math.abs(rate - previous) <= STEADY * previous) {
        app.warmed = { seconds: app.seconds, settled: true };
      }
    }
  }
  // Every app idle before the first measured round, whatever was in flight when its last window stopped.
  // Each app's quiet, all at once: settling loads nothing.
  await Promise.all(apps.map((app) => settle(app.url)));
  return apps.map((app) => app.warmed ?? { seconds: app.seconds, settled: false });
}

function dbWindow(options: WarmOptions): WarmWindow {
  return (url) =>
    runLoad(url, WORKLOADS.db, [], { seconds: options.windowSec }, options.connections);
}
