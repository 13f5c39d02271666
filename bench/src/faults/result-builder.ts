import type { Expectation, FigureValue, ScenarioResult } from './fault-scenario.js';

/** Collects a scenario's figures and checked expectations as it runs. */
export class ResultBuilder {
  readonly figures: Record<string, FigureValue> = {};
  readonly #expectations: Expectation[] = [];

  /** Records whether `name` held, with what was measured. */
  expect(name: string, held: boolean, detail: string): void {
    this.#expectations.push({ name, held, detail });
  }

  result(): ScenarioResult {
    return { figures: this.figures, expectations: this.#expectations };
  }
}
