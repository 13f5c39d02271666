import { type PostgresServer, startPostgres } from '@lifetimes/databases';
import { BenchUsageError } from '../shared/flags.js';
import { runStamp } from '../shared/machine-info.js';
import { Progress } from '../shared/progress.js';
import type { Driver } from '../shared/rows.js';
import { createFaultDatabase } from './fault-database.js';
import type { FaultContext, FaultScenario, ScenarioResult } from './fault-scenario.js';
import type { FaultOptions, FaultStrategy } from './options.js';
import { PgBackends } from './pg-backends.js';
import type { FaultOutcome, FaultResults } from './results.js';
import { SCENARIOS } from './scenarios.js';
import { Subject } from './subject.js';

/** Longer than any scenario takes on a loaded machine; past it the scenario has hung, which is a failure. */
const SCENARIO_DEADLINE_MS = 180_000;

/** Runs every selected scenario on every selected strategy and driver it applies to. */
export async function runFaults(options: FaultOptions): Promise<FaultResults> {
  const startedAt = new Date().toISOString();
  const scenarios = options.scenarios.map((name) => SCENARIOS[name]);
  for (const scenario of scenarios) {
    if (scenario.unavailable) {
      process.stderr.write(`Leaving out ${scenario.name}. ${scenario.unavailable}\n`);
    }
  }
  const groups = options.drivers.flatMap((driver) =>
    options.strategies.map((strategy) => ({
      driver,
      strategy,
      scenarios: scenarios.filter((s) => s.drivers.includes(driver)),
    })),
  );
  const total = groups.reduce((n, g) => n + g.scenarios.length, 0);
  if (total === 0) {
    throw new BenchUsageError(
      `No selected scenario runs on ${options.drivers.join(' or ')}: ${scenarios
        .map((s) => `${s.name} runs on ${s.drivers.join(' and ') || 'no driver here'}`)
        .join('; ')}.`,
    );
  }
  const usesPostgres = groups.some((g) => g.driver === 'postgres' && g.scenarios.length > 0);
  let server: PostgresServer | undefined;
  let backends: PgBackends | undefined;
  if (usesPostgres) {
    process.stderr.write(
      process.env.PG_URL ? 'Using PostgreSQL at PG_URL.\n' : 'Starting an embedded PostgreSQL...\n',
    );
    server = await startPostgres();
    backends = await PgBackends.connect(server.adminUrl);
  }
  const progress = new Progress(total);
  const outcomes: FaultOutcome[] = [];
  try {
    for (const group of groups) {
      if (group.scenarios.length === 0) continue;
      outcomes.push(...(await runGroup(group, options.quick, progress, server, backends)));
    }
  } finally {
    await backends?.close();
    await server?.stop();
  }
  return {
    ...runStamp(startedAt),
    method: {
      quick: options.quick,
      postgres: usesPostgres ? (process.env.PG_URL ? 'PG_URL' : 'embedded') : 'not used',
    },
    scenarios: scenarios.map(
      ({ name, number, title, drivers, setup, fault, expected, figure, byDesign }) => ({
        name,
        number,
        title,
        drivers,
        setup,
        fault,
        expected,
        figure,
        byDesign,
      }),
    ),
    outcomes,
    passed: outcomes.every((o) => o.passed),
  };
}

/** The scenarios of one strategy on one driver, in order, sharing one app where they can. */
async function runGroup(
  group: { driver: Driver; strategy: FaultStrategy; scenarios: readonly FaultScenario[] },
  quick: boolean,
  progress: Progress,
  server: PostgresServer | undefined,
  backends: PgBackends | undefined,
): Promise<FaultOutcome[]> {
  const { driver, strategy } = group;
  const start = async (settings: Record<string, string>) => {
    const database = await createFaultDatabase(driver, server);
    try {
      return await Subject.start(strategy, database, settings);
    } catch (error) {
      await database.remove();
      throw error;
    }
  };
  let shared: Subject | undefined;
  const owned: Subject[] = [];
  let deferred: (() => Promise<unknown>)[] = [];
  const context: FaultContext = {
    strategy,
    driver,
    quick,
    backends: driver === 'postgres' ? backends : undefined,
    shared: async () => {
      if (shared && !shared.app.running) await shared.restart();
      shared ??= await start({});
      return shared;
    },
    own: async (settings) => {
      const subject = await start(settings);
      owned.push(subject);
      return subject;
    },
    defer: (stop) => {
      deferred.push(stop);
    },
  };
  const outcomes: FaultOutcome[] = [];
  try {
    for (const scenario of group.scenarios) {
      progress.step(`${driver} · ${strategy} · ${scenario.name}`);
      const started = performance.now();
      let result: ScenarioResult;
      try {
        result = await withDeadline(scenario.run(context), SCENARIO_DEADLINE_MS);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const exits = await exitsOf([...owned, ...(shared ? [shared] : [])]);
        result = {
          figures: {},
          expectations: [
            {
              name: 'the scenario ran to its end',
              held: false,
              detail: exits ? `${message}; ${exits}` : message,
            },
          ],
        };
      } finally {
        // Loads and ledgers a scenario left running, when it stopped early.
        await Promise.allSettled(deferred.map((stop) => stop()));
        deferred = [];
        await disposeAll(owned.splice(0), progress);
      }
      const passed = result.expectations.length > 0 && result.expectations.every((e) => e.held);
      if (!passed && shared) {
        // The next scenario gets a fresh app, not the state this one left: one failure, one report.
        await shared.dispose().catch(() => {});
        shared = undefined;
      }
      for (const failed of result.expectations.filter((e) => !e.held)) {
        progress.note(`FAIL ${failed.name}: ${failed.detail}`);
      }
      outcomes.push({
        scenario: scenario.name,
        strategy,
        driver,
        figures: result.figures,
        expectations: result.expectations,
        passed,
        seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
      });
    }
  } finally {
    await disposeAll([...owned, ...(shared ? [shared] : [])], progress);
  }
  return outcomes;
}

/** How the apps that are no longer running ended, with their last lines: what explains a scenario that broke off. */
async function exitsOf(subjects: readonly Subject[]): Promise<string> {
  const ended = await Promise.all(
    subjects
      .filter((subject) => !subject.app.running)
      .map(async (subject) => {
        const exit = await subject.app.whenExited();
        const lines = exit.output.trim().split('\n');
        // A crash prints its error first and Node's version last: both say what happened.
        const error = lines.find((line) => /^\s*(\w*Error\b|Uncaught)/.test(line))?.trim();
        const last = lines.slice(-3).join(' | ');
        return `the app had exited (${exit.code ?? exit.signal}): ${error ? `${error} … ` : ''}${last}`;
      }),
  );
  return ended.join('; ');
}

async function disposeAll(subjects: readonly Subject[], progress: Progress): Promise<void> {
  for (const subject of subjects) {
    await subject.dispose().catch((error: unknown) => {
      progress.note(
        `could not stop ${subject.strategy} on ${subject.driver} or remove its database: ${String(error)}`,
      );
    });
  }
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`did not finish within ${ms / 1000} s: something hung`)),
      ms,
    );
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
