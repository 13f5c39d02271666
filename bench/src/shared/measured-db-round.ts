import type { AppProcess } from './app-process.js';
import { type LoadResult, runLoad } from './load.js';
import { processCpuUs } from './proc-cpu.js';
import { WORKLOADS } from './workloads.js';

/** One round of `/db` on an app and the app's own CPU per 2xx answer over it. */
export interface MeasuredDbRound {
  readonly load: LoadResult;
  /** CPU (user + system) of the app process per 2xx answer, µs; undefined when none finished or /proc is not there. */
  readonly appCpuUsPerRequest: number | undefined;
}

/** A round of `/db` for the comparisons that pair one app with itself (a viewer, a runtime). */
export async function measuredDbRound(
  app: AppProcess,
  seconds: number,
  connections: number,
): Promise<MeasuredDbRound> {
  const before = processCpuUs(app.pid);
  const load = await runLoad(app.url, WORKLOADS.db, [], { seconds }, connections);
  const after = processCpuUs(app.pid);
  return {
    load,
    appCpuUsPerRequest:
      before !== undefined && after !== undefined && load.ok > 0
        ? (after - before) / load.ok
        : undefined,
  };
}
