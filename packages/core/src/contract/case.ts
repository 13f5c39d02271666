import { it } from 'vitest';
import type { ContractContext, Subject } from './contract-context.js';
import type { ContractCase, ContractStrategyOptions } from './contract-spec.js';

/** How a case's subject is made and how long the case may take. */
export interface CaseSettings {
  /** The subject's options over the suite's test-sized ones. */
  readonly options?: Partial<ContractStrategyOptions>;
  /** Past vitest's default timeout. */
  readonly timeoutMs?: number;
}

/**
 * Declares one contract case, or skips it with the spec's reason in the
 * title, so a report never shows a silent skip. Each case starts from an
 * empty probe table and gets a strategy of its own, made when the case
 * runs and closed after it: what a case finds was done by that case alone.
 */
export function contractCase(
  ctx: ContractContext,
  id: ContractCase,
  title: string,
  body: (subject: Subject) => Promise<void>,
  settings: CaseSettings = {},
): void {
  const run = async () => {
    await ctx.reset();
    await body(ctx.create(settings.options));
  };
  const reason = ctx.spec.skip?.[id];
  if (reason) it.skip(`${id}: ${title} (skipped: ${reason})`, run);
  else it(`${id}: ${title}`, run, settings.timeoutMs);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
