export interface Bar {
  readonly label: string;
  /** Undefined: the row measured nothing (no request finished), written where its bar would be. */
  readonly value: number | undefined;
  /** The spread the chart names (rounds, or an interval), drawn as a whisker. */
  readonly low?: number;
  readonly high?: number;
  readonly color: string;
}

export interface Panel {
  readonly title: string;
  readonly bars: readonly Bar[];
}

export interface BarChart {
  readonly title: string;
  readonly subtitle: string;
  /** Formats a value for its label and the axis's ticks, unit included. */
  readonly format: (value: number) => string;
  /**
   * `log` where the rows span orders of magnitude (a connect per query
   * against a pooled query), so the small ones stay visible and equal
   * ratios look equal; `linear` (the default) where zero is a value to see.
   */
  readonly scale?: 'linear' | 'log';
  /** A value marked by a dashed line in every panel, e.g. 1 for a ratio. */
  readonly reference?: number | undefined;
  readonly panels: readonly Panel[];
}

/** Written where a bar would be when its row measured nothing. */
export const NONE_FINISHED = 'none finished';

const WIDTH = 960;
const COLUMNS = 2;
const LABEL_WIDTH = 120;
const BAR_HEIGHT = 16;
const BAR_GAP = 5;
const PANEL_PAD = 36;
/** Room under each panel's bars for its axis and tick labels. */
const AXIS_HEIGHT = 22;

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** An axis: where a value lands across the plot (0 to 1), and the ticks to label. */
interface Axis {
  readonly at: (value: number) => number;
  readonly ticks: readonly number[];
}

function linearAxis(max: number): Axis {
  // 1, 2 or 5 times a power of ten: the steps an axis reads easily.
  const step = niceAbove((max || 1) / 4);
  const top = Math.ceil((max || 1) / step) * step;
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
  return { at: (value) => Math.max(0, value) / top, ticks };
}

/** The smallest 1, 2 or 5 times a power of ten at or above `value`. */
function niceAbove(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  const fraction = value / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
}

function logAxis(min: number, max: number): Axis {
  const low = 10 ** Math.floor(Math.log10(min));
  const high = niceAbove(Math.max(max, low * 10));
  const decades = Math.log10(high / low);
  // Every decade is labelled, and the end; with few decades, 2 and 5 as well.
  const multiples = decades <= 2 ? [1, 2, 5] : [1];
  const ticks: number[] = [];
  for (let decade = low; decade <= high * 1.0001; decade *= 10) {
    for (const m of multiples) if (decade * m <= high * 1.0001) ticks.push(decade * m);
  }
  const last = ticks.at(-1) ?? high;
  if (last < high / 1.0001) ticks.push(high);
  const span = Math.log10(high / low);
  return {
    at: (value) => Math.min(1, Math.max(0, Math.log10(Math.max(value, low) / low) / span)),
    ticks,
  };
}

function axisFor(chart: BarChart): Axis {
  const values = chart.panels.flatMap((panel) =>
    panel.bars.flatMap((bar) => [bar.value, bar.low, bar.high]),
  );
  const measured = [...values, chart.reference].filter(
    (value): value is number => value !== undefined && Number.isFinite(value),
  );
  const max = Math.max(...measured, 0);
  if (chart.scale === 'log') {
    const positive = measured.filter((value) => value > 0);
    if (positive.length > 0) return logAxis(Math.min(...positive), max);
  }
  return linearAxis(max);
}

/**
 * Small multiples of horizontal bars on one axis for the whole chart, so
 * every panel compares with every other at a glance: labelled ticks under
 * each panel, a log scale where the rows span orders of magnitude (bars
 * growing from the reference, when there is one, so a ratio below 1 points
 * left), whiskers
 * for the spread the subtitle names, and "none finished" written where a
 * row that measured nothing would have its bar (never a zero-length bar
 * that reads as the best value).
 */
export function barChartSvg(chart: BarChart): string {
  const panelWidth = WIDTH / COLUMNS;
  const plotWidth = panelWidth - LABEL_WIDTH - 90;
  const rowsPerPanel = Math.max(1, ...chart.panels.map((p) => p.bars.length));
  const panelHeight = PANEL_PAD + rowsPerPanel * (BAR_HEIGHT + BAR_GAP) + AXIS_HEIGHT + 12;
  const top = 64;
  const height = top + Math.ceil(chart.panels.length / COLUMNS) * panelHeight + 10;
  const axis = axisFor(chart);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="16" y="28" font-size="18" font-weight="600" fill="#111">${escapeXml(chart.title)}</text>`,
    `<text x="16" y="48" font-size="12" fill="#555">${escapeXml(`${chart.subtitle}${chart.scale === 'log' ? ' Log scale.' : ''}`)}</text>`,
  ];
  chart.panels.forEach((panel, index) => {
    const x0 = (index % COLUMNS) * panelWidth + 16;
    const y0 = top + Math.floor(index / COLUMNS) * panelHeight;
    const bx = x0 + LABEL_WIDTH;
    const x = (value: number) => bx + axis.at(value) * plotWidth;
    const barsTop = y0 + PANEL_PAD - 14;
    const axisY = y0 + PANEL_PAD - 10 + panel.bars.length * (BAR_HEIGHT + BAR_GAP);
    parts.push(
      `<text x="${x0}" y="${y0 + 16}" font-size="13" font-weight="600" fill="#222">${escapeXml(panel.title)}</text>`,
    );
    for (const tick of axis.ticks) {
      const tx = x(tick).toFixed(1);
      parts.push(
        `<path d="M${tx} ${barsTop} V${axisY + 3}" stroke="#e0e0e0" stroke-width="1"/>`,
        `<text x="${tx}" y="${axisY + 14}" font-size="9" text-anchor="middle" fill="#666">${escapeXml(chart.format(tick))}</text>`,
      );
    }
    parts.push(`<path d="M${bx} ${axisY} H${bx + plotWidth}" stroke="#999" stroke-width="1"/>`);
    if (chart.reference !== undefined && panel.bars.length > 0) {
      const rx = x(chart.reference).toFixed(1);
      parts.push(
        `<path d="M${rx} ${barsTop} V${axisY}" stroke="#222" stroke-width="1" stroke-dasharray="3 3"/>`,
      );
    }
    panel.bars.forEach((bar, row) => {
      const y = y0 + PANEL_PAD - 10 + row * (BAR_HEIGHT + BAR_GAP);
      parts.push(
        `<text x="${bx - 6}" y="${y + BAR_HEIGHT - 4}" font-size="11" text-anchor="end" fill="#333">${escapeXml(bar.label)}</text>`,
      );
      if (bar.value === undefined) {
        parts.push(
          `<text x="${bx + 4}" y="${y + BAR_HEIGHT - 4}" font-size="11" font-style="italic" fill="#888">${NONE_FINISHED}</text>`,
        );
        return;
      }
      // On a log scale a reference (×1 for a ratio) is where bars start:
      // they grow right for more, left for less, as far for ×2 as for ×0.5.
      const base = chart.scale === 'log' && chart.reference !== undefined ? x(chart.reference) : bx;
      const end = x(bar.value);
      parts.push(
        `<rect x="${Math.min(base, end).toFixed(1)}" y="${y}" width="${Math.max(Math.abs(end - base), 1).toFixed(1)}" height="${BAR_HEIGHT}" fill="${bar.color}" rx="2"/>`,
      );
      if (bar.low !== undefined && bar.high !== undefined && bar.high > bar.low) {
        const lx = x(bar.low).toFixed(1);
        const hx = x(bar.high).toFixed(1);
        const my = y + BAR_HEIGHT / 2;
        parts.push(
          `<path d="M${lx} ${my} H${hx} M${lx} ${my - 4} V${my + 4} M${hx} ${my - 4} V${my + 4}" stroke="#222" stroke-width="1"/>`,
        );
      }
      const right = Math.max(x(bar.value), bar.high === undefined ? 0 : x(bar.high));
      parts.push(
        `<text x="${(right + 6).toFixed(1)}" y="${y + BAR_HEIGHT - 4}" font-size="11" fill="#111">${escapeXml(chart.format(bar.value))}</text>`,
      );
    });
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
