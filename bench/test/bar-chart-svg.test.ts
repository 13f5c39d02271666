import { describe, expect, it } from 'vitest';
import { type BarChart, barChartSvg, NONE_FINISHED } from '../src/shared/bar-chart-svg.js';

const chart = (overrides: Partial<BarChart>): BarChart => ({
  title: 't',
  subtitle: 's',
  format: (value) => `${value}`,
  panels: [
    {
      title: 'db',
      bars: [
        { label: 'fast', value: 1000, low: 900, high: 1100, color: '#111' },
        { label: 'slow', value: 10, color: '#222' },
      ],
    },
    { title: 'queries', bars: [{ label: 'fast', value: 100, color: '#111' }] },
  ],
  ...overrides,
});

/** The x and width of every bar, in drawing order. */
function bars(svg: string): { x: number; width: number }[] {
  return [...svg.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/g)].map((m) => ({
    x: Number(m[1]),
    width: Number(m[2]),
  }));
}

/** The labels under the axis, in drawing order. */
function ticks(svg: string): string[] {
  return [...svg.matchAll(/font-size="9" text-anchor="middle" fill="#666">([^<]*)</g)].map(
    (m) => m[1] ?? '',
  );
}

describe('barChartSvg', () => {
  it('puts every panel on one axis: the same value is the same length in every panel', () => {
    const svg = barChartSvg(chart({ scale: 'linear' }));
    const [fast, , other] = bars(svg);
    // 1000 in one panel, 100 in the other: a tenth of the length on one shared scale.
    expect((other?.width ?? 0) / (fast?.width ?? 1)).toBeCloseTo(0.1, 2);
  });

  it('labels a linear axis from 0 in steps of 1, 2 or 5 times a power of ten', () => {
    const labels = ticks(barChartSvg(chart({ scale: 'linear' })));
    // Two panels, one axis each: the same ticks twice.
    expect(labels.slice(0, labels.length / 2)).toEqual(['0', '500', '1000', '1500']);
  });

  it('on a log scale, gives equal ratios equal lengths and labels whole decades and the end', () => {
    const svg = barChartSvg(chart({ scale: 'log' }));
    const [fast, slow, other] = bars(svg);
    const x0 = fast?.x ?? 0;
    // The axis runs from 10 to 2,000, the first 1, 2 or 5 above 1,100: 10 at its start, each decade as long.
    expect(slow?.width).toBe(1);
    const decade = (fast?.width ?? 0) - (other?.width ?? 0);
    expect(other?.width).toBeCloseTo(decade, 0);
    expect(x0).toBeGreaterThan(0);
    expect(ticks(svg).slice(0, 4)).toEqual(['10', '100', '1000', '2000']);
    expect(svg).toContain('Log scale.');
  });

  it('on a log scale with a reference, grows bars from it: ×2 as long to the right as ×0.5 to the left', () => {
    const svg = barChartSvg(
      chart({
        scale: 'log',
        reference: 1,
        panels: [
          {
            title: 'db',
            bars: [
              { label: 'faster', value: 2, color: '#111' },
              { label: 'slower', value: 0.5, color: '#222' },
            ],
          },
        ],
      }),
    );
    const [faster, slower] = bars(svg);
    expect(faster?.width).toBeCloseTo(slower?.width ?? 0, 0);
    // The slower bar ends where the faster one starts: at ×1.
    expect((slower?.x ?? 0) + (slower?.width ?? 0)).toBeCloseTo(faster?.x ?? 0, 0);
  });

  it('writes "none finished" where a row that measured nothing would have its bar', () => {
    const svg = barChartSvg(
      chart({
        panels: [{ title: 'db', bars: [{ label: 'per-query', value: undefined, color: '#e00' }] }],
      }),
    );
    expect(svg).toContain(`>${NONE_FINISHED}<`);
    expect(bars(svg)).toEqual([]);
  });

  it('draws the whisker and the reference line on the same axis as the bars', () => {
    const svg = barChartSvg(chart({ scale: 'linear', reference: 500 }));
    const [fast] = bars(svg);
    const perUnit = (fast?.width ?? 0) / 1000;
    // The whisker: a line from low to high, then its two end caps.
    const whisker = /<path d="M([\d.]+) [\d.]+ H([\d.]+) M/.exec(svg);
    expect(Number(whisker?.[2]) - Number(whisker?.[1])).toBeCloseTo(200 * perUnit, 0);
    const reference =
      /<path d="M([\d.]+) [\d.]+ V[\d.]+" stroke="#222" stroke-width="1" stroke-dasharray/.exec(
        svg,
      );
    expect(Number(reference?.[1]) - (fast?.x ?? 0)).toBeCloseTo(500 * perUnit, 0);
  });
});
