import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type PostgresServer, startPostgres } from '@lifetimes/databases';
import { applyEdits } from './apply-edits.js';
import { Backup } from './backup.js';
import { CATALOGUE } from './catalogue.js';
import type { Mutation, Suite } from './mutation.js';
import { assertClean } from './repository.js';
import { caseMatcher, runSuite, type SuiteOutcome } from './run-suite.js';

export interface MutationResult {
  readonly mutation: Mutation;
  /**
   * `caught`: every named case failed on every named driver; `partly`: some
   * failed, but not all of them; `survived`: all passed; `error`: no verdict.
   */
  readonly verdict: 'caught' | 'partly' | 'survived' | 'error';
  readonly outcome: SuiteOutcome;
  /** The named cases (as `driver case`) that should have failed and passed instead. */
  readonly missed: readonly string[];
  readonly seconds: number;
}

const SIGNAL_EXIT: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Applies each mutation in turn, runs its suite, and restores the file,
 * whatever happens: the original is written back in `finally`, on SIGINT
 * and SIGTERM, and on exit; a backup left by a run that could not (a
 * SIGKILL) is restored before anything starts. One PostgreSQL server serves
 * the whole catalogue: PG_URL, or an embedded one started here.
 */
export async function runCatalogue(
  root: string,
  mutations: readonly Mutation[],
  report: (line: string) => void,
): Promise<MutationResult[]> {
  const backup = new Backup(root, join(root, 'packages/mutations/.backup.json'));
  const recovered = backup.recover();
  if (recovered) report(`restored ${recovered} from a run that was interrupted`);
  // Every file of the catalogue, not only the chosen ones: the suites read them all.
  assertClean(root, [...new Set(CATALOGUE.map((m) => m.file))]);
  for (const mutation of mutations) {
    applyEdits(mutation.file, readFileSync(join(root, mutation.file), 'utf8'), mutation.edits);
  }

  let child: ChildProcess | undefined;
  let server: PostgresServer | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    backup.restore();
    child?.kill('SIGKILL');
    const exit = () => process.exit(SIGNAL_EXIT[signal] ?? 1);
    void (server ? server.stop().then(exit, exit) : exit());
  };
  const onExit = () => backup.restore();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', onExit);
  try {
    server = await startPostgres();
    const env = { ...process.env, PG_URL: server.adminUrl };
    const results: MutationResult[] = [];
    for (const mutation of mutations) {
      const started = performance.now();
      const original = readFileSync(join(root, mutation.file), 'utf8');
      backup.apply(mutation.file, original, applyEdits(mutation.file, original, mutation.edits));
      let outcome: SuiteOutcome;
      try {
        outcome = await runSuite(root, mutation.suite, env, (running) => {
          child = running;
        });
      } finally {
        backup.restore();
      }
      const missed = missedCases(mutation.suite, outcome.failed);
      const verdict = outcome.error
        ? 'error'
        : outcome.failed.length === 0
          ? 'survived'
          : missed.length > 0
            ? 'partly'
            : 'caught';
      const result = {
        mutation,
        verdict,
        outcome,
        missed,
        seconds: (performance.now() - started) / 1000,
      } as const;
      report(describeResult(result));
      results.push(result);
    }
    return results;
  } finally {
    backup.restore();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', onExit);
    await server?.stop();
  }
}

export function describeResult({
  mutation,
  verdict,
  outcome,
  missed,
  seconds,
}: MutationResult): string {
  const head = `${verdict.padEnd(8)} ${mutation.name} (${seconds.toFixed(1)} s)`;
  if (verdict === 'caught')
    return [head, ...outcome.failed.map((name) => `           ${name}`)].join('\n');
  if (verdict === 'partly') {
    return [
      head,
      ...outcome.failed.map((name) => `           ${name}`),
      `           passed with the bug in ${mutation.file}, though named to catch it: ${missed.join(', ')}`,
    ].join('\n');
  }
  if (verdict === 'survived') {
    return `${head}\n           every matching case (${outcome.passed}) passed with the bug in ${mutation.file}: the suite misses it`;
  }
  return `${head}\n           ${outcome.error}`;
}

/**
 * Each named case on each named driver that no failed test answers to: a
 * mutation must fail exactly the cases it names, every one of them, or a
 * case meant to guard the bug has stopped guarding it.
 */
export function missedCases(suite: Suite, failed: readonly string[]): string[] {
  const drivers = suite.drivers.length === 0 ? [undefined] : suite.drivers;
  return drivers.flatMap((driver) =>
    suite.cases
      .filter((name) => !failed.some((test) => caseMatcher(driver, name).test(test)))
      .map((name) => (driver ? `${driver} ${name}` : name)),
  );
}
