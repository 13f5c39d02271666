import { afterEach, describe, expect, it, vi } from 'vitest';
import { Progress } from '../src/shared/progress.js';

describe('Progress', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** The lines a run of steps prints, each step at the time given (ms). */
  function lines(total: number, createdAt: number, stepsAt: number[]): string[] {
    const printed: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      printed.push(String(chunk).trimEnd());
      return true;
    });
    let now = createdAt;
    const progress = new Progress(total, () => now);
    for (const [i, at] of stepsAt.entries()) {
      now = at;
      progress.step(`step ${i + 1}`);
    }
    return printed;
  }

  it('estimates from the pace of the steps, not from what came before the first (a server start, a warm-up)', () => {
    // Created at 0, 15 s of start-up, then one step a second.
    expect(lines(78, 0, [15_000, 16_000, 17_000])).toEqual([
      '[1/78] step 1',
      '[2/78] step 2 · about 77 s left',
      '[3/78] step 3 · about 76 s left',
    ]);
  });

  it('counts a slow step in the pace from then on, in minutes past 90 s', () => {
    expect(lines(200, 0, [0, 1000, 2000, 62_000])).toEqual([
      '[1/200] step 1',
      '[2/200] step 2 · about 3 min left',
      '[3/200] step 3 · about 3 min left',
      '[4/200] step 4 · about 68 min left',
    ]);
  });
});
