import type { Driver } from '../shared/rows.js';
import type { FigureKey } from './figure-labels.js';
import type { FaultStrategy, ScenarioName } from './options.js';
import type { PgBackends } from './pg-backends.js';
import type { Subject } from './subject.js';

/** A figure measured in the run: a count, a duration, or a word like "ok". */
export type FigureValue = number | string;

/** One expected outcome, checked. */
export interface Expectation {
  readonly name: string;
  readonly held: boolean;
  /** What was measured, so a failure explains itself. */
  readonly detail: string;
}

/** What a scenario measured on one strategy and driver. */
export interface ScenarioResult {
  readonly figures: Readonly<Record<string, FigureValue>>;
  readonly expectations: readonly Expectation[];
}

/** What a scenario can use for one strategy on one driver. */
export interface FaultContext {
  readonly strategy: FaultStrategy;
  readonly driver: Driver;
  readonly quick: boolean;
  /**
   * The app the scenarios of this strategy and driver share, in their order,
   * started on first use (and again on the same database if its process died).
   */
  shared(): Promise<Subject>;
  /** An app on a fresh database of its own, with `settings` over the defaults; the runner disposes of it after the scenario. */
  own(settings: Record<string, string>): Promise<Subject>;
  /** The server's view of the app's backends; undefined on SQLite. */
  readonly backends: PgBackends | undefined;
  /** Registers how to stop a load or ledger the scenario started, should it end early. */
  defer(stop: () => Promise<unknown>): void;
}

/** One fault, described for the report and run on each strategy and driver it applies to. */
export interface FaultScenario {
  readonly name: ScenarioName;
  /** Its number in the fault-suite issue, so the report's sections match it. */
  readonly number: string;
  readonly title: string;
  readonly drivers: readonly Driver[];
  /** Why the scenario runs on no driver on this machine, and how to change that (a missing part). */
  readonly unavailable?: string;
  readonly setup: string;
  readonly fault: string;
  readonly expected: string;
  /** The figure the report leads with, and how it is measured. */
  readonly figure: string;
  /** Where a strategy cannot hold the expectation as written, what it does instead and why; the scenario asserts that. */
  readonly byDesign: Readonly<Partial<Record<FaultStrategy, string>>>;
  /** The figures the report's table shows, in order, each under its one label. */
  readonly columns: readonly FigureKey[];
  /** The one-cell summary of a result for the per-strategy tables. */
  headline(figures: Readonly<Record<string, FigureValue>>): string;
  run(context: FaultContext): Promise<ScenarioResult>;
}
