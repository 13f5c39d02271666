import { describe, expect, it } from 'vitest';
import { parseBenchOptions } from '../src/matrix/options.js';
import { runViewerBench } from '../src/viewer/run-viewer-bench.js';
import { summarizeViewer, type ViewerRound } from '../src/viewer/viewer-results.js';

const round = (pair: number, viewer: boolean, rate: number, cpu: number): ViewerRound => ({
  pair,
  viewer,
  ok: rate,
  requestsPerSec: rate,
  appCpuUsPerRequest: cpu,
  events: viewer ? rate * 5 : 0,
});

describe('the viewer bench', () => {
  it('pairs each round with a viewer with the round without one of the same pair', () => {
    // The machine drifts between pairs (1000, then 500): the ratio must not.
    const cell = summarizeViewer('per-request', 'sqlite', [
      round(1, false, 1000, 100),
      round(1, true, 900, 110),
      round(2, true, 450, 110),
      round(2, false, 500, 100),
      round(3, false, 1000, 100),
      round(3, true, 900, 110),
    ]);
    expect(cell.rateRatio?.median).toBeCloseTo(0.9);
    expect(cell.rateRatio?.resolved).toBe(true);
    expect(cell.cpuRatio?.median).toBeCloseTo(1.1);
    expect(cell.eventsPerRequest).toBe(5);
  });

  it('measures an app with a viewer that really watched, and without one', async () => {
    const options = parseBenchOptions([
      '--viewer',
      '--quick',
      '--strategies=per-request',
      '--drivers=sqlite',
    ]);
    const results = await runViewerBench(options, () => {});
    expect(results.cells).toHaveLength(1);
    const [cell] = results.cells;
    expect(cell?.rounds).toHaveLength(4);
    for (const r of cell?.rounds ?? []) {
      expect(r.ok).toBeGreaterThan(0);
      if (r.viewer) expect(r.events).toBeGreaterThan(r.ok);
      else expect(r.events).toBe(0);
    }
    expect(cell?.rateRatio).toBeDefined();
    expect(cell?.eventsPerRequest).toBeGreaterThan(1);
  }, 120_000);
});
