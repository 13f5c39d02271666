import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fleetSummary } from '../src/fleet/fleet-report.js';
import type { FleetResults } from '../src/fleet/fleet-results.js';
import { repoRoot } from '../src/shared/repo-root.js';

describe('fleetSummary', () => {
  it("lines up each fleet's 503s, the warm-up's following them where it had any", () => {
    const results = JSON.parse(
      readFileSync(join(repoRoot(), 'docs/results/fleet.json'), 'utf8'),
    ) as FleetResults;
    const lines = fleetSummary(results)
      .split('\n')
      .filter((line) => line.includes(' 503s '));
    expect(
      lines.some((line) => / 503s +[\d,]+ \(\+[\d,]+ warming\) {2}other failures/.test(line)),
    ).toBe(true);
    // The round's count fills the same six columns on every line.
    const counts = lines.map((line) => {
      const at = line.indexOf(' 503s ') + ' 503s '.length;
      return line.slice(at, at + 6);
    });
    for (const count of counts) expect(count).toMatch(/^ *[\d,]+$/);
  });
});
