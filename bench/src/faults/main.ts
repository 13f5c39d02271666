import { BenchUsageError } from '../shared/flags.js';
import { FAULTS_USAGE, parseFaultOptions } from './options.js';
import { runFaultSuite } from './suite.js';

/** `npm run faults`: the fault suite alone; exits 1 when an expected outcome did not hold, 2 on a bad command line. */
async function main(): Promise<number> {
  if (process.argv.includes('--help')) {
    process.stdout.write(`${FAULTS_USAGE}\n`);
    return 0;
  }
  try {
    return (await runFaultSuite(parseFaultOptions(process.argv.slice(2)))) ? 0 : 1;
  } catch (error) {
    if (error instanceof BenchUsageError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `The fault suite stopped: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exit(1);
  },
);
