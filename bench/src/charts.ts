import { profileNamed } from '@lifetimes/strategies';
import { type BarChart, barChartSvg } from './bar-chart-svg.js';
import type { Driver, StrategyName } from './bench-options.js';
import { STRATEGIES } from './bench-options.js';
import type { BenchResults, Cell, Spread } from './results.js';
import { WORKLOAD_NAMES } from './workloads.js';

/** The references in greys; every strategy in its profile's colour. */
function colorOf(strategy: StrategyName): string {
  if (strategy === 'driver-floor') return '#cfd8dc';
  if (strategy === 'kysely-plain') return '#9e9e9e';
  return profileNamed(strategy).color;
}

interface Metric {
  readonly file: string;
  readonly title: string;
  /** What the whiskers are. */
  readonly whiskers: string;
  readonly pick: (cell: Cell) => Spread | undefined;
  readonly format: (value: number) => string;
  /** One axis for every panel: for ratios, which share a scale whatever the workload. */
  readonly sharedAxis: boolean;
  /** A dashed line at this value: 1 for a ratio, where a row equals the baseline. */
  readonly reference?: number;
}

const rounds = 'min–max of the rounds';

const METRICS: readonly Metric[] = [
  {
    file: 'throughput',
    title: 'Throughput, requests per second (higher is better)',
    whiskers: rounds,
    pick: (c) => c.requestsPerSec,
    format: (v) => `${Math.round(v).toLocaleString('en-US')}/s`,
    sharedAxis: false,
  },
  {
    file: 'ratio-to-baseline',
    title: 'Throughput over the baseline, paired by pass (higher is better)',
    whiskers: '95% interval of the median ratio',
    pick: (c) =>
      c.ratioToBaseline && c.strategy !== 'baseline'
        ? {
            median: c.ratioToBaseline.median,
            min: c.ratioToBaseline.low,
            max: c.ratioToBaseline.high,
          }
        : undefined,
    format: (v) => `×${v.toFixed(2)}`,
    sharedAxis: true,
    reference: 1,
  },
  {
    file: 'cpu-per-request',
    title: 'App CPU per request, microseconds (lower is better)',
    whiskers: rounds,
    pick: (c) => c.appCpuUsPerRequest,
    format: (v) => `${Math.round(v).toLocaleString('en-US')} µs`,
    sharedAxis: false,
  },
  {
    file: 'connections-per-request',
    title: 'Connections opened per request (lower is better)',
    whiskers: rounds,
    pick: (c) => c.connectionsPerRequest,
    format: (v) => v.toFixed(v < 1 ? 3 : 1),
    sharedAxis: false,
  },
  {
    file: 'latency-p99',
    title: 'Latency p99, milliseconds (lower is better)',
    whiskers: rounds,
    pick: (c) => c.p99Ms,
    format: (v) => `${Math.round(v)} ms`,
    sharedAxis: false,
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
        subtitle: `Median of ${results.method.passes} paired round(s), whiskers ${metric.whiskers}; a cell where none finished has no bar. ${results.startedAt.slice(0, 10)}, ${results.machine.cpus} cores, Node ${results.machine.node}.`,
        format: metric.format,
        sharedAxis: metric.sharedAxis,
        reference: metric.reference,
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
                    color: colorOf(strategy),
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
