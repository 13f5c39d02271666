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
   * The block's median µs per op. Not the mean: on a shared machine a time
   * slice lost to another process lands on a few ops and would swing a mean
   * by more than the costs measured here.
   */
  readonly usPerOp: number[];
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
    operation.rows.map((row) => [row.name, { row: row.name, usPerOp: [], iterations: [] }]),
  );
  for (let block = -1; block < plan.blocks; block++) {
    const order = block % 2 === 0 ? operation.rows : [...operation.rows].reverse();
    const bench = new Bench({
      time: plan.blockMs,
      iterations: plan.minIterations,
      warmup: false,
      throws: true,
    });
    // Declared async: otherwise tinybench calls a plain function once, unawaited,
    // to find out, and that stray op would still hold its connection (or a
    // SQLite write lock) when the next row starts.
    for (const row of order) bench.add(row.name, row.run, { async: true });
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
      row.usPerOp.push(result.latency.p50 * 1000);
      row.iterations.push(result.latency.samplesCount);
    }
  }
  return [...samples.values()];
}
