import { loadavg } from 'node:os';
import type { PostgresServer } from '@lifetimes/databases';
import { runStamp } from '../shared/machine-info.js';
import { bootstrapMedian, median, pairedRatio } from '../shared/paired-ratio.js';
import { writeReport } from '../shared/write-report.js';
import { writeRunJson } from '../shared/write-run-json.js';
import { countPromises } from './count-promises.js';
import { microOperations } from './micro-operations.js';
import type { MicroDriver, MicroOptions } from './micro-options.js';
import { microReport } from './micro-report.js';
import type { MicroDriverResult, MicroOperationResult, MicroResults } from './micro-results.js';
import { createMicroSubjects, microPostgres } from './micro-subjects.js';
import { type BlockPlan, runBlocks } from './run-blocks.js';

/** Ops per counting pass: a count does not drift, so a few suffice, even for a connect. */
const PROMISE_COUNT_OPS = 20;

export interface MicroRun {
  readonly results: MicroResults;
  /** The JSON of this run, with every block's figures. */
  readonly json: string;
  /** docs micro.md, when the options asked for it. */
  readonly report: string | undefined;
}

/**
 * The micro layer: every operation on every driver, in process, in
 * alternating blocks; writes the JSON and, for a full run or with --docs,
 * the report. `log` receives one line per operation as it finishes.
 */
export async function runMicro(
  options: MicroOptions,
  log: (line: string) => void = () => {},
): Promise<MicroRun> {
  const startedAt = new Date().toISOString();
  const start = loadavg();
  const plan: BlockPlan = {
    blocks: options.blocks,
    blockMs: options.blockMs,
    minIterations: options.minIterations,
  };
  const server = options.drivers.includes('postgres') ? await microPostgres() : undefined;
  const drivers: MicroDriverResult[] = [];
  try {
    for (const driver of options.drivers) {
      drivers.push(await measureDriver(driver, server, plan, options.operations, log));
    }
  } finally {
    await server?.stop();
  }
  const results: MicroResults = {
    kind: 'micro',
    ...runStamp(startedAt),
    load: { start, end: loadavg() },
    plan: { quick: options.quick, ...plan },
    drivers,
  };
  const { json } = await writeRunJson(options.resultsDir, 'micro-', startedAt, results);
  const report = await writeReport(options.docsDir, 'micro.md', () => microReport(results));
  return { results, json, report };
}

async function measureDriver(
  driver: MicroDriver,
  server: PostgresServer | undefined,
  plan: BlockPlan,
  operations: readonly string[] | undefined,
  log: (line: string) => void,
): Promise<MicroDriverResult> {
  await using subjects = await createMicroSubjects(driver, server);
  const measured: MicroOperationResult[] = [];
  for (const operation of microOperations(subjects)) {
    if (operations && !operations.includes(operation.name)) continue;
    const samples = await runBlocks(operation, plan);
    const promises = await countPromises(operation, PROMISE_COUNT_OPS);
    const byName = new Map(samples.map((row) => [row.row, row]));
    const rows = samples.map(({ row, usPerOp, cpuUsPerOp, iterations }) => ({
      name: row,
      usPerOp,
      cpuUsPerOp,
      iterations,
      ...bootstrapMedian(usPerOp),
      cpu: median(cpuUsPerOp),
      promisesPerOp: promises.get(row) ?? Number.NaN,
    }));
    const comparisons = operation.comparisons.map(({ subject, reference }) => {
      const a = byName.get(subject);
      const b = byName.get(reference);
      const differences = (a?.usPerOp ?? [])
        .map((value, i) => value - (b?.usPerOp[i] ?? Number.NaN))
        .filter(Number.isFinite);
      return {
        subject,
        reference,
        ratio: pairedRatio(a?.usPerOp ?? [], b?.usPerOp ?? []) ?? null,
        cpuRatio: pairedRatio(a?.cpuUsPerOp ?? [], b?.cpuUsPerOp ?? []) ?? null,
        extraUs: differences.length > 0 ? bootstrapMedian(differences) : null,
      };
    });
    measured.push({
      name: operation.name,
      description: operation.description,
      rows,
      comparisons,
    });
    log(
      `${driver} ${operation.name}: ${rows.map((r) => `${r.name} ${r.median.toFixed(1)} µs`).join(', ')}`,
    );
  }
  return {
    driver,
    server: driver === 'postgres' ? (server?.embedded ? 'embedded' : 'PG_URL') : undefined,
    operations: measured,
  };
}
