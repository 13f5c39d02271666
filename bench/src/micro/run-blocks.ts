import { Bench } from 'tinybench';
import type { MicroOperation } from './micro-operations.js';

export interface BlockPlan {
  readonly blocks: number;
  readonly blockMs: number;
  readonly minIterations: number;
}

/** One row's figures, one per block, in block order (so rows pair by index). */
export interface RowSamples {
  readonly row: string;
  /**
   * The block's median op, in µs: what the ratios compare. Not the mean: on
   * a shared machine a time slice lost to another process lands on a few
   * ops and swings a mean far more than the costs measured here.
   */
  readonly usPerOp: number[];
  /**
   * This process's CPU time per op over the block, in µs: it includes the
   * garbage collections the code causes (which the median op leaves out) and
   * excludes waiting, for the database server or for a core.
   */
  readonly cpuUsPerOp: number[];
  readonly iterations: number[];
}

/**
 * Runs the operation's rows in many short blocks, A B C in one block and
 * C B A in the next, so slow drift of a shared machine (another process
 * starting, the CPU clocking down) lands on every row alike and cancels in
 * the per-block ratios. One unrecorded block first: JIT, statement caches and
 * pools warm up on every row before anything counts.
 */
export async function runBlocks(operation: MicroOperation, plan: BlockPlan): Promise<RowSamples[]> {
  const samples = new Map<string, RowSamples>(
    operation.rows.map((row) => [
      row.name,
      { row: row.name, usPerOp: [], cpuUsPerOp: [], iterations: [] },
    ]),
  );
  for (let block = -1; block < plan.blocks; block++) {
    const order = block % 2 === 0 ? operation.rows : [...operation.rows].reverse();
    const bench = new Bench({
      time: plan.blockMs,
      iterations: plan.minIterations,
      warmup: false,
      throws: true,
    });
    const cpu = new Map<string, number>();
    for (const row of order) {
      let start: NodeJS.CpuUsage | undefined;
      bench.add(row.name, row.run, {
        // Declared async: otherwise tinybench calls a plain function once,
        // unawaited, to find out, and that stray op would still hold its
        // connection (or a SQLite write lock) when the next row starts.
        async: true,
        beforeAll: () => {
          start = process.cpuUsage();
        },
        afterAll: () => {
          const used = process.cpuUsage(start);
          cpu.set(row.name, used.user + used.system);
        },
      });
    }
    const around = operation.around ?? ((run) => run());
    const tasks = await around(() => bench.run());
    if (block < 0) continue;
    for (const task of tasks) {
      const result = task.result;
      if (result.state !== 'completed') {
        throw new Error(
          `${operation.name} / ${task.name} did not complete a block (${result.state}).`,
        );
      }
      const row = samples.get(task.name) as RowSamples;
      const ops = result.latency.samplesCount;
      row.usPerOp.push(result.latency.p50 * 1000);
      row.cpuUsPerOp.push((cpu.get(task.name) ?? Number.NaN) / ops);
      row.iterations.push(ops);
    }
  }
  return [...samples.values()];
}
