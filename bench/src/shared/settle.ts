import { getJson } from './get-json.js';

interface Stats {
  active: number;
  queries: number;
}

/**
 * Waits until the app has stopped working: no connection held and no query
 * run for `quietPolls` polls 100 ms apart (300 ms by default). Open scopes
 * are not enough: when autocannon stops it drops its sockets, the aborted
 * requests' scopes end, and their handlers go on querying (per-query and
 * baseline need no scope), into the next round's measurement and its
 * statement count. After a load that had every request answered nothing is
 * in flight, and one quiet poll confirms it.
 */
export async function settle(url: string, quietPolls = 3): Promise<void> {
  let last = -1;
  let steady = 0;
  const deadline = performance.now() + 30_000;
  while (performance.now() < deadline) {
    const stats = await getJson<Stats>(`${url}/stats`);
    steady = stats.queries === last && stats.active === 0 ? steady + 1 : 0;
    if (steady >= quietPolls) return;
    last = stats.queries;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
