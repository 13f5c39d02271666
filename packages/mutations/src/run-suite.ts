import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Suite } from './mutation.js';

/** What one filtered vitest run saw. */
export interface SuiteOutcome {
  /** Full names of the tests that ran and failed. */
  readonly failed: readonly string[];
  readonly passed: number;
  /** Set when the run did not produce a result (timeout, crash, no matching test). */
  readonly error?: string;
}

interface JsonReport {
  readonly testResults: ReadonlyArray<{
    readonly message?: string;
    readonly assertionResults: ReadonlyArray<{
      readonly fullName: string;
      readonly status: string;
    }>;
  }>;
}

const TIMEOUT_MS = 180_000;
// vitest exports no path to its command; its package.json is exported, and the command sits beside it.
const vitestBin = join(
  dirname(createRequire(import.meta.url).resolve('vitest/package.json')),
  'vitest.mjs',
);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The `-t` pattern for a suite: both the contract suite and the package
 * suites name their describe blocks "... on <driver>", followed by the case;
 * a suite without a database is matched on its case names alone.
 */
export function namePattern(suite: Suite): string {
  const cases = `(${suite.cases.map(escapeRegExp).join('|')})`;
  return suite.drivers.length === 0 ? cases : `on (${suite.drivers.join('|')}) (.* )?${cases}`;
}

/** Matches the full name of one named case on one driver (or on none), as `namePattern` selects it. */
export function caseMatcher(driver: string | undefined, name: string): RegExp {
  return new RegExp(
    driver === undefined
      ? escapeRegExp(name)
      : `on ${escapeRegExp(driver)} (.* )?${escapeRegExp(name)}`,
  );
}

/** Runs the suite's cases in a child vitest; `onChild` lets the caller stop it on a signal. */
export function runSuite(
  root: string,
  suite: Suite,
  env: NodeJS.ProcessEnv,
  onChild: (child: ChildProcess | undefined) => void,
): Promise<SuiteOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'lifetimes-mutation-'));
  const report = join(dir, 'report.json');
  const args = [
    vitestBin,
    'run',
    suite.file,
    '-t',
    namePattern(suite),
    '--reporter=json',
    `--outputFile=${report}`,
  ];
  return new Promise<SuiteOutcome>((resolve) => {
    let output = '';
    const child = spawn(process.execPath, args, {
      cwd: join(root, suite.workspace),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    onChild(child);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      onChild(undefined);
      try {
        resolve(readReport(report, code, signal, output));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

function readReport(
  path: string,
  code: number | null,
  signal: NodeJS.Signals | null,
  output: string,
): SuiteOutcome {
  let parsed: JsonReport;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as JsonReport;
  } catch {
    const why = signal ? `was stopped by ${signal}` : `exited with ${code} and wrote no report`;
    return { failed: [], passed: 0, error: `vitest ${why}:\n${output.slice(-3000)}` };
  }
  const results = parsed.testResults.flatMap((file) => file.assertionResults);
  const failed = results.filter((r) => r.status === 'failed').map((r) => r.fullName);
  const passed = results.filter((r) => r.status === 'passed').length;
  // A file that failed to load (a syntax error the patch made) has no
  // assertion results, only a message: that is an error, not a catch.
  const fileErrors = parsed.testResults.map((file) => file.message).filter(Boolean);
  if (failed.length === 0 && fileErrors.length > 0) {
    return { failed, passed, error: `the test file failed to run: ${fileErrors.join('\n')}` };
  }
  if (failed.length + passed === 0) {
    return { failed, passed, error: 'no test matched the cases: were they renamed?' };
  }
  return { failed, passed };
}
