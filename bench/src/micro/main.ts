import { measureMicro } from './measure-micro.js';
import { MICRO_USAGE, MicroUsageError, parseMicroOptions } from './micro-options.js';

try {
  const options = parseMicroOptions(process.argv.slice(2));
  if (!options) {
    console.log(MICRO_USAGE);
  } else {
    const run = await measureMicro(options, (line) => console.log(line));
    console.log(`Results: ${run.json}`);
    if (run.report) console.log(`Report: ${run.report}`);
  }
} catch (error) {
  if (!(error instanceof MicroUsageError)) throw error;
  console.error(error.message);
  process.exitCode = 2;
}
