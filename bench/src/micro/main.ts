import { fileURLToPath } from 'node:url';
import { prepareRuntimes } from '@lifetimes/runtimes';
import { MICRO_USAGE, MicroUsageError, parseMicroOptions } from './micro-options.js';
import { runMicro } from './run-micro.js';
import { runRuntimePairs } from './run-runtimes.js';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const log = (line: string) => console.log(line);

try {
  const options = parseMicroOptions(process.argv.slice(2));
  if (!options) {
    console.log(MICRO_USAGE);
  } else if (options.node) {
    const prepared = await prepareRuntimes(options.node, REPOSITORY_ROOT, log);
    const run = await runRuntimePairs(
      prepared,
      { ...options, operations: options.operations ?? [] },
      log,
    );
    console.log(`Results: ${run.json}`);
    if (run.report) console.log(`Report: ${run.report}`);
  } else {
    const run = await runMicro(options, log);
    console.log(`Results: ${run.json}`);
    if (run.report) console.log(`Report: ${run.report}`);
  }
} catch (error) {
  if (!(error instanceof MicroUsageError)) throw error;
  console.error(error.message);
  process.exitCode = 2;
}
