import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runtimeCacheDir } from './cache-dir.js';
import type { NodeRuntime } from './node-runtime.js';
import { parseRuntimes } from './parse-runtimes.js';
import { prepareRuntimes } from './prepare-runtimes.js';
import { runSuite } from './run-suite.js';

const USAGE = `npm run test:runtimes -- 22,24                         every test suite under Node 22, then Node 24
npm run test:runtimes -- 24 --filter=@lifetimes/core   one package's tests under Node 24

Each major runs as its newest release from the npm registry (package node-<os>-<arch>),
with better-sqlite3 built for it; both are cached in ${runtimeCacheDir()}
(LIFETIMES_RUNTIMES_CACHE moves it). The machine's own major runs on the machine's Node.
PostgreSQL is PG_URL's or an embedded server, as for npm test.`;

const REPOSITORY_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface Outcome {
  readonly runtime: NodeRuntime;
  readonly code: number;
  readonly seconds: number;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      filter: { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(`Name the runtimes as one list, e.g. 22,24.\n\n${USAGE}`);
    return 2;
  }
  let majors: number[];
  try {
    majors = parseRuntimes(positionals[0] ?? '');
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const log = (line: string) => console.log(line);
  const prepared = await prepareRuntimes(majors, REPOSITORY_ROOT, log);
  const outcomes: Outcome[] = [];
  for (const runtime of prepared.runtimes) {
    log(`\n== Node ${runtime.version}: the test suites ==`);
    const started = Date.now();
    const code = await prepared.under(runtime, () =>
      runSuite(runtime, REPOSITORY_ROOT, values.filter),
    );
    outcomes.push({ runtime, code, seconds: (Date.now() - started) / 1000 });
  }
  log(`\n${summary(outcomes)}`);
  return outcomes.every((outcome) => outcome.code === 0) ? 0 : 1;
}

function summary(outcomes: readonly Outcome[]): string {
  const rows = outcomes.map(({ runtime, code, seconds }) => {
    const minutes = `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
    const origin = runtime.machine ? "the machine's" : 'fetched';
    return `Node ${runtime.version.padEnd(9)} ${origin.padEnd(13)} ${(code === 0 ? 'passed' : 'FAILED').padEnd(7)} ${minutes}`;
  });
  return ['runtime        node          suites  time', ...rows].join('\n');
}

// Exits explicitly: tsx does not pass process.exitCode on to its caller.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
