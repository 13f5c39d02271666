import type { RunStamp } from '../shared/machine-info.js';
import type { Driver } from '../shared/rows.js';
import type { Expectation, FigureValue } from './fault-scenario.js';
import type { FaultStrategy, ScenarioName } from './options.js';

/** One scenario on one strategy and driver. */
export interface FaultOutcome {
  readonly scenario: ScenarioName;
  readonly strategy: FaultStrategy;
  readonly driver: Driver;
  readonly figures: Readonly<Record<string, FigureValue>>;
  readonly expectations: readonly Expectation[];
  /** Every expectation held. */
  readonly passed: boolean;
  readonly seconds: number;
}

/** A scenario as the report describes it. */
export interface ScenarioInfo {
  readonly name: ScenarioName;
  readonly number: string;
  readonly title: string;
  readonly drivers: readonly Driver[];
  readonly setup: string;
  readonly fault: string;
  readonly expected: string;
  readonly figure: string;
  readonly byDesign: Readonly<Partial<Record<FaultStrategy, string>>>;
}

export interface FaultResults extends RunStamp {
  readonly method: {
    readonly quick: boolean;
    readonly postgres: 'PG_URL' | 'embedded' | 'not used';
  };
  readonly scenarios: readonly ScenarioInfo[];
  readonly outcomes: readonly FaultOutcome[];
  readonly passed: boolean;
}
