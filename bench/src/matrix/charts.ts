import { profileNamed } from '@lifetimes/strategies';
import { type Bar, type BarChart, barChartSvg } from '../shared/bar-chart-svg.js';
import type { Driver, StrategyName } from '../shared/rows.js';
import { STRATEGIES } from '../shared/rows.js';
import { WORKLOAD_NAMES } from '../shared/workloads.js';
import type { BenchResults, Cell, Spread } from './results.js';

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
  /** Log where the rows span orders of magnitude; linear where zero is a value to see. */
  readonly scale: 'linear' | 'log';
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
    scale: 'log',
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
    format: (v) => `×${v < 0.1 ? v.toPrecision(1) : v.toFixed(2)}`,
    scale: 'log',
    reference: 1,
  },
  {
    file: 'cpu-per-request',
    title: 'App CPU per request, microseconds (lower is better)',
    whiskers: rounds,
    pick: (c) => c.appCpuUsPerRequest,
    format: (v) => `${Math.round(v).toLocaleString('en-US')} µs`,
    scale: 'log',
  },
  {
    file: 'connections-per-request',
    title: 'Connections opened per request (lower is better)',
    whiskers: rounds,
    pick: (c) => c.connectionsPerRequest,
    format: (v) => (Number.isInteger(v) ? String(v) : v.toFixed(v < 1 ? 3 : 1)),
    scale: 'linear',
  },
  {
    file: 'latency-p99',
    title: 'Latency p99, milliseconds (lower is better)',
    whiskers: rounds,
    pick: (c) => c.p99Ms,
    format: (v) => `${Math.round(v)} ms`,
    scale: 'log',
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
        subtitle: `Median of ${results.method.passes} paired round(s), whiskers ${metric.whiskers}; a cell where none finished says so. ${results.startedAt.slice(0, 10)}, ${results.machine.cpus} cores, Node ${results.machine.node}.`,
        format: metric.format,
        scale: metric.scale,
        reference: metric.reference,
        panels: WORKLOAD_NAMES.filter((w) =>
          results.cells.some((c) => c.driver === driver && c.workload === w),
        ).map((workload) => ({
          title: workload,
          bars: STRATEGIES.flatMap((strategy): Bar[] => {
            const cell = results.cells.find(
              (c) => c.driver === driver && c.workload === workload && c.strategy === strategy,
            );
            if (!cell) return [];
            // A cell where none finished measured nothing: it says so where
            // its bar would be, never a zero-length bar that reads as best.
            if (!cell.finished) {
              return metric.file === 'ratio-to-baseline' && strategy === 'baseline'
                ? []
                : [{ label: strategy, value: undefined, color: colorOf(strategy) }];
            }
            const value = metric.pick(cell);
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
