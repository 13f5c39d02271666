import { fileURLToPath } from 'node:url';
import { prepareRuntimes } from '@lifetimes/runtimes';
import type { MicroOptions } from './micro-options.js';
import { runMicro } from './run-micro.js';
import { runRuntimePairs } from './run-runtimes.js';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The micro layer as the options ask: one run on this process's Node, or,
 * with `node`, pairs of runs under each runtime named (fetched and built
 * first). Returns the JSON it wrote and the report, if any.
 */
export async function measureMicro(
  options: MicroOptions,
  log: (line: string) => void,
): Promise<{ json: string; report: string | undefined }> {
  if (!options.node) return runMicro(options, log);
  const prepared = await prepareRuntimes(options.node, REPOSITORY_ROOT, log);
  return runRuntimePairs(prepared, options, log);
}
