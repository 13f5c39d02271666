import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PROFILE_NAMES } from '@lifetimes/strategies';
import { describe, expect, it } from 'vitest';
import { renderBlock } from '../src/bench-blocks.js';
import { inlineFigure } from '../src/inline-figure.js';
import { deadLinks, markdownFiles } from '../src/links.js';
import {
  DOCS,
  pages,
  REPO,
  readFleet,
  readResults,
  readViewer,
  renderPage,
} from '../src/update-docs.js';

describe('the course', () => {
  const files = markdownFiles(REPO);

  it("renders the bench blocks of every strategy profile's page", () => {
    const strategyPages = pages().filter((file) => file.includes('/strategies/'));
    expect(strategyPages.map((file) => relative(DOCS, file))).toEqual(
      PROFILE_NAMES.map((name) => `strategies/${name}.md`),
    );
  });

  it('has no dead relative links in any markdown file', () => {
    const dead = files.flatMap((file) =>
      deadLinks(file).map((link) => `${relative(REPO, file)} -> ${link}`),
    );
    expect(dead).toEqual([]);
  });

  it('quotes numbers only from the committed bench results, and quotes them as they are', () => {
    const results = readResults();
    expect(
      results.method.quick,
      'docs/results/latest.json must come from a full run, not --quick',
    ).toBe(false);
    expect(results.passed).toBe(true);
    const fleet = readFleet();
    expect(fleet?.quick, 'docs/results/fleet.json must come from a full fleet run').toBe(false);
    const viewer = readViewer();
    expect(viewer?.quick, 'docs/results/viewer.json must come from a full viewer run').toBe(false);
    for (const file of pages()) {
      const text = readFileSync(file, 'utf8');
      expect(
        renderPage(file, text, results, fleet, viewer),
        `${relative(REPO, file)} is out of date: npm run docs -w @lifetimes/docs`,
      ).toBe(text);
    }
  });

  it('says once that no request finished in a cell, and quotes no ratio, CPU, latency or connections for it', () => {
    const results = readResults();
    const cells = results.cells.map((c) =>
      c.strategy === 'per-query' && c.driver === 'postgres' && c.workload === 'db'
        ? {
            ...c,
            finished: false,
            requestsPerSec: undefined,
            ratioToBaseline: undefined,
            connectionsPerRequest: undefined,
            appCpuUsPerRequest: undefined,
            serverCpuUsPerRequest: undefined,
            p99Ms: undefined,
          }
        : c,
    );
    const block = renderBlock('strategy name=per-query', { ...results, cells }, '../');
    const row = block.split('\n').find((line) => line.startsWith('| `db` |')) ?? '';
    const [, , pg, cpu, connections, p99] = row.split(' | ');
    expect(pg).toBe('none finished');
    expect(cpu).toMatch(/ · – \+ –$/);
    expect(connections).toMatch(/ · –$/);
    expect(p99).toMatch(/ · – \|$/);
    const choose = renderBlock('choose', { ...results, cells }, '');
    expect(choose).toContain('per-query none finished');
  });

  it('prints every ratio with its interval, and an unresolved one as such', () => {
    const results = readResults();
    const summary = renderBlock('summary', results, 'docs/');
    for (const line of summary.split('\n').filter((l) => l.startsWith('| per-'))) {
      expect(line).toMatch(
        /(×\d+\.\d\d|≈1 \(not resolved\)) \[\d+\.\d\d–\d+\.\d\d\]|none finished/,
      );
    }
    expect(summary).toContain('| driver-floor |');
  });

  it('walks the reading order from the README, with a timeline and a live-view screenshot on every strategy page', () => {
    const readme = readFileSync(join(DOCS, 'README.md'), 'utf8');
    expect(readme).toContain('(exercises.md)');
    expect(readme).toContain('(timeouts.md)');
    expect(readme).toContain('(async-context.md)');
    expect(readme).toContain('(connect-cost.md)');
    expect(readme).toContain('(serverless.md)');
    expect(readme).toContain('(choosing.md)');
    for (const strategy of PROFILE_NAMES) {
      expect(readme).toContain(`(strategies/${strategy}.md)`);
      const page = readFileSync(join(DOCS, 'strategies', `${strategy}.md`), 'utf8');
      expect(page).toContain(`(../pictures/timeline-${strategy}-postgres.svg)`);
      expect(page).toContain(`(../pictures/timeline-${strategy}-sqlite.svg)`);
      expect(page).toContain('<!-- bench:strategy');
      expect(page).toContain(`(../pictures/live-${strategy}.png)`);
      const png = readFileSync(join(DOCS, 'pictures', `live-${strategy}.png`));
      expect(png.subarray(1, 4).toString(), `live-${strategy}.png is a PNG`).toBe('PNG');
    }
  });

  it('quotes a measured figure in prose only through an inline figure, and ties cheap or expensive to one', () => {
    const generated = /```[\s\S]*?```|<!-- (?:bench|course):[\s\S]*?<!-- \/(?:bench|course) -->/g;
    const figure = /<!-- fig:[\s\S]*?<!-- \/fig -->/g;
    const measured = /×(\d+\.\d+|[2-9]\d*)|\d[\d,]*\/s\b|\d\s?µs/;
    const judged = /\b(cheap|cheaper|cheapest|expensive|costly)\b/i;
    const faults: string[] = [];
    for (const file of pages()) {
      for (const line of readFileSync(file, 'utf8').replace(generated, '').split('\n')) {
        const prose = line.replace(figure, '');
        const where = `${relative(REPO, file)}: ${prose.trim().slice(0, 120)}`;
        if (measured.test(prose)) faults.push(`a figure typed by hand: ${where}`);
        if (judged.test(prose) && !figure.test(line))
          faults.push(`a claim with no figure: ${where}`);
        figure.lastIndex = 0;
      }
    }
    expect(faults).toEqual([]);
  });

  it('renders an inline figure from the results, and refuses one it does not know', () => {
    const results = readResults();
    const page = join(DOCS, 'strategies', 'per-request.md');
    const stale =
      'at <!-- fig:ratio per-request postgres db -->×9.99 [9.00–9.99]<!-- /fig --> of it';
    const rendered = renderPage(page, stale, results);
    expect(rendered).not.toContain('×9.99');
    expect(rendered).toContain(
      `<!-- fig:ratio per-request postgres db -->${inlineFigure('ratio per-request postgres db', results, DOCS)}<!-- /fig -->`,
    );
    expect(inlineFigure('opened per-query', results, DOCS)).toMatch(/^\d+$/);
    expect(inlineFigure('connect-cpu postgres', results, DOCS)).toMatch(/^\d+(\.\d)? (ms|µs)$/);
    const paired = /^(×\d+\.\d\d|≈1 \(not resolved\)) \[\d+\.\d\d–\d+\.\d\d\]$/;
    expect(inlineFigure('runtime http baseline sqlite rate', results, DOCS)).toMatch(paired);
    expect(inlineFigure('runtime micro per-request sqlite scope', results, DOCS)).toMatch(paired);
    expect(
      inlineFigure('runtime versus pooled-registry/baseline sqlite request 24', results, DOCS),
    ).toMatch(paired);
    expect(() => inlineFigure('runtime http nope sqlite rate', results, DOCS)).toThrow(
      /no figure "http nope sqlite rate"/,
    );
    expect(() => inlineFigure('speed per-request', results, DOCS)).toThrow(/Unknown figure/);
    expect(() => inlineFigure('ratio per-request postgres nope', results, DOCS)).toThrow(
      /no per-request\/postgres\/nope cell/,
    );
  });
});
