import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTempDir, startPostgres } from '@lifetimes/databases';
import {
  type NodeRuntime,
  outliveChild,
  type PreparedRuntimes,
  runtimeEnv,
} from '@lifetimes/runtimes';
import { type RuntimeHttpPlan, runRuntimeHttp } from '../runtime-http/run-runtime-http.js';
import type { RuntimeHttpComparison } from '../runtime-http/runtime-http-results.js';
import { FROM_SOURCES } from '../shared/from-sources.js';
import { runStamp } from '../shared/machine-info.js';
import { writeReport } from '../shared/write-report.js';
import { writeRunJson } from '../shared/write-run-json.js';
import type { MicroOptions } from './micro-options.js';
import type { MicroResults } from './micro-results.js';
import { compareRuntimes, type RuntimeRun } from './runtime-comparison.js';
import { type RuntimesResults, runtimesReport } from './runtimes-report.js';

const BENCH = fileURLToPath(new URL('../..', import.meta.url));

/**
 * What a comparison runs: the micro layer's own options, each run in `pairs`
 * pairs; with `http`, the chosen rows over HTTP under each runtime next.
 */
export type RuntimePlan = Pick<
  MicroOptions,
  'pairs' | 'blocks' | 'blockMs' | 'drivers' | 'operations' | 'resultsDir' | 'docsDir'
> & { readonly http?: RuntimeHttpPlan };

/**
 * The micro layer under each runtime, in pairs of runs (one per runtime,
 * back to back, the order reversed every other pair), each run a process of
 * its own started on its runtime's node with that runtime's better-sqlite3
 * in place; then, when the plan has `http`, the chosen rows' apps over HTTP
 * under each runtime. One PostgreSQL server serves every run. Writes the JSON and,
 * when asked, docs/results/runtimes.md; `log` gets a line per run.
 */
export async function runRuntimePairs(
  prepared: PreparedRuntimes,
  plan: RuntimePlan,
  log: (line: string) => void,
): Promise<{ results: RuntimesResults; json: string; report: string | undefined }> {
  const startedAt = new Date().toISOString();
  const usesPostgres = [...plan.drivers, ...(plan.http?.drivers ?? [])].includes('postgres');
  const server = usesPostgres ? await startPostgres() : undefined;
  const scratch = await createTempDir('lifetimes-runtimes');
  const runs: RuntimeRun[] = [];
  let http: RuntimeHttpComparison | undefined;
  const total = plan.pairs * prepared.runtimes.length;
  const began = Date.now();
  try {
    for (let pair = 0; pair < plan.pairs; pair++) {
      const order = pair % 2 === 0 ? prepared.runtimes : [...prepared.runtimes].reverse();
      for (const runtime of order) {
        const dir = join(scratch.path, `${pair}-${runtime.version}`);
        await prepared.under(runtime, () => runMicroUnder(runtime, plan, dir, server?.adminUrl));
        runs.push({ version: runtime.version, pair, results: await readRun(dir) });
        const done = runs.length;
        const left = ((Date.now() - began) / done) * (total - done);
        log(
          `run ${done}/${total}: pair ${pair + 1}, Node ${runtime.version}` +
            (done < total ? ` (about ${Math.ceil(left / 60_000)} min left)` : ''),
        );
      }
    }
    if (plan.http) http = await runRuntimeHttp(prepared, plan.http, server?.adminUrl, log);
  } finally {
    await server?.stop();
    await scratch.remove();
  }
  const results: RuntimesResults = {
    kind: 'runtimes',
    ...runStamp(startedAt),
    plan: { pairs: plan.pairs, blocks: plan.blocks, blockMs: plan.blockMs },
    comparison: compareRuntimes(
      prepared.runtimes.map((runtime) => runtime.version),
      runs,
    ),
    ...(http ? { http } : {}),
  };
  const { json } = await writeRunJson(plan.resultsDir, 'runtimes-', startedAt, results);
  const report = await writeReport(plan.docsDir, 'runtimes.md', () => runtimesReport(results));
  return { results, json, report };
}

/** One run of the micro layer on `runtime`, writing its JSON under `dir`. */
function runMicroUnder(
  runtime: NodeRuntime,
  plan: RuntimePlan,
  dir: string,
  pgUrl: string | undefined,
): Promise<void> {
  const args = [
    ...FROM_SOURCES,
    'src/micro/main.ts',
    `--blocks=${plan.blocks}`,
    `--block-ms=${plan.blockMs}`,
    `--drivers=${plan.drivers.join(',')}`,
    ...(plan.operations ? [`--operations=${plan.operations.join(',')}`] : []),
    `--results=${dir}`,
    // A run's own report stays with its JSON, out of docs/.
    `--docs=${join(dir, 'docs')}`,
  ];
  const env = runtimeEnv(runtime, pgUrl ? { ...process.env, PG_URL: pgUrl } : process.env);
  const child = spawn(join(runtime.binDir, 'node'), args, { cwd: BENCH, env });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return outliveChild(child).then(({ code, signal }) => {
    if (code === 0) return;
    throw new Error(
      `The micro layer under Node ${runtime.version} ended with ${signal ?? `exit code ${code}`}. Its last output:\n${output}`,
    );
  });
}

async function readRun(dir: string): Promise<MicroResults> {
  const file = (await readdir(dir)).find(
    (name) => name.startsWith('micro-') && name.endsWith('.json'),
  );
  if (!file) throw new Error(`The micro layer wrote no results in ${dir}.`);
  return JSON.parse(await readFile(join(dir, file), 'utf8')) as MicroResults;
}
