import { it } from 'vitest';
import type { ContractContext } from './contract-context.js';
import type { ContractCase } from './contract-spec.js';

/**
 * Declares one contract case, or skips it with the spec's reason in the
 * title, so a report never shows a silent skip.
 */
export function contractCase(
  ctx: ContractContext,
  id: ContractCase,
  title: string,
  body: () => Promise<void>,
  timeoutMs?: number,
): void {
  const reason = ctx.spec.skip?.[id];
  if (reason) it.skip(`${id}: ${title} (skipped: ${reason})`, body);
  else it(`${id}: ${title}`, body, timeoutMs);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
