import { describe, expect, it } from 'vitest';
import { parseBenchOptions } from '../src/matrix/options.js';
import { estimateSeconds, passOrder, roundCount, rowsFor } from '../src/matrix/plan.js';

describe('plan', () => {
  it('reverses the order every other pass so no row always goes first', () => {
    const rows = ['a', 'b', 'c'];
    expect([1, 2, 3].map((pass) => passOrder(rows, pass).join(''))).toEqual(['abc', 'cba', 'abc']);
  });

  it('leaves the driver floor out of the workloads it does not serve', () => {
    const all = parseBenchOptions([]).strategies;
    expect(rowsFor('db', all)).toContain('driver-floor');
    expect(rowsFor('queries', all)).toContain('driver-floor');
    expect(rowsFor('slow', all)).not.toContain('driver-floor');
    expect(rowsFor('slow', all)).toContain('baseline');
  });

  it('fits the default matrix in 12 minutes on 2 cores, and the quick one in about one', () => {
    const full = parseBenchOptions([]);
    expect(estimateSeconds(full)).toBeLessThanOrEqual(12 * 60);
    expect(estimateSeconds(full)).toBeGreaterThan(8 * 60);
    expect(estimateSeconds(parseBenchOptions(['--quick']))).toBeLessThan(75);
    // One calibration round and one round per pass, per row, workload and driver.
    const small = parseBenchOptions(['--strategies=baseline,driver-floor', '--workloads=db,slow']);
    expect(roundCount(small)).toBe(2 * (2 + 1) * (small.passes + 1));
  });
});
