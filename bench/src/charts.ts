import { type BarChart, barChartSvg } from './bar-chart-svg.js';
import type { Driver, StrategyName } from './bench-options.js';
import { STRATEGIES } from './bench-options.js';
import type { BenchResults, Cell, Spread } from './results.js';
import { WORKLOAD_NAMES } from './workloads.js';

const COLORS: Record<StrategyName, string> = {
  'driver-floor': '#cfd8dc',
  'kysely-plain': '#9e9e9e',
  baseline: '#546e7a',
  'per-query': '#e53935',
  'per-request': '#fb8c00',
  'scoped-session': '#43a047',
  'pooled-registry': '#1e88e5',
};

interface Metric {
  readonly file: string;
  readonly title: string;
  readonly pick: (cell: Cell) => Spread | undefined;
  readonly format: (value: number) => string;
}

const METRICS: readonly Metric[] = [
  {
    file: 'throughput',
    title: 'Throughput, requests per second (higher is better)',
    pick: (c) => c.requestsPerSec,
    format: (v) => `${Math.round(v).toLocaleString('en-US')}/s`,
  },
  {
    file: 'connections-per-request',
    title: 'Connections opened per request (lower is better)',
    pick: (c) => c.connectionsPerRequest,
    format: (v) => v.toFixed(v < 1 ? 3 : 1),
  },
  {
    file: 'latency-p99',
    title: 'Latency p99, milliseconds (lower is better)',
    pick: (c) => c.p99Ms,
    format: (v) => `${Math.round(v)} ms`,
  },
];

/** Every chart of a run, as `{ file, svg }`: one per metric and driver. */
export function charts(results: BenchResults): { file: string; svg: string }[] {
  const drivers = [...new Set(results.cells.map((c) => c.driver))] as Driver[];
  const out: { file: string; svg: string }[] = [];
  for (const driver of drivers) {
    for (const metric of METRICS) {
      const chart: BarChart = {
        title: `${metric.title}: ${driver === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`,
        subtitle: `Median of ${results.method.passes} round(s), whiskers min–max; a cell where none finished has no bar. ${results.startedAt.slice(0, 10)}, ${results.machine.cpus} cores, Node ${results.machine.node}.`,
        format: metric.format,
        panels: WORKLOAD_NAMES.filter((w) =>
          results.cells.some((c) => c.driver === driver && c.workload === w),
        ).map((workload) => ({
          title: workload,
          bars: STRATEGIES.flatMap((strategy) => {
            const cell = results.cells.find(
              (c) => c.driver === driver && c.workload === workload && c.strategy === strategy,
            );
            // A cell where none finished measured nothing: no bar, not a zero one.
            const value = cell?.finished ? metric.pick(cell) : undefined;
            return value
              ? [
                  {
                    label: strategy,
                    value: value.median,
                    low: value.min,
                    high: value.max,
                    color: COLORS[strategy],
                  },
                ]
              : [];
          }),
        })),
      };
      out.push({ file: `${metric.file}-${driver}.svg`, svg: barChartSvg(chart) });
    }
  }
  return out;
}
