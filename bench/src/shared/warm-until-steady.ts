import { runLoad } from './load.js';
import { settle } from './settle.js';
import { WORKLOADS } from './workloads.js';

/** Two consecutive windows whose throughput differs by at most this much: the app is warm. */
const STEADY = 0.05;

/**
 * Runs `/db` on the app in windows of `windowSec` until two consecutive
 * windows agree within 5%, or `maxSec` of load have passed. A fresh process
 * climbs for many seconds (JIT, caches, pool growth); measuring it before it
 * settles measures the climb.
 */
export async function warmUntilSteady(
  url: string,
  options: { windowSec: number; maxSec: number; connections: number },
): Promise<{ seconds: number; settled: boolean }> {
  let seconds = 0;
  let previous: number | undefined;
  while (seconds + options.windowSec <= options.maxSec + 1e-9) {
    const load = await runLoad(
      url,
      WORKLOADS.db,
      [],
      { seconds: options.windowSec },
      options.connections,
    );
    seconds += load.durationSec;
    const rate = load.requestsPerSec;
    if (previous !== undefined && rate > 0 && Math.abs(rate - previous) <= STEADY * previous) {
      await settle(url);
      return { seconds, settled: true };
    }
    previous = rate;
  }
  await settle(url);
  return { seconds, settled: false };
}
