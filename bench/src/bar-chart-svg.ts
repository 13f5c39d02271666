export interface Bar {
  readonly label: string;
  readonly value: number;
  /** The spread of the trials, drawn as a whisker. */
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
  /** Formats a value for its label, unit included. */
  readonly format: (value: number) => string;
  /** One scale for every panel; otherwise each panel has its own. */
  readonly sharedAxis?: boolean;
  /** A value marked by a dashed line in every panel, e.g. 1 for a ratio. */
  readonly reference?: number | undefined;
  readonly panels: readonly Panel[];
}

const WIDTH = 960;
const COLUMNS = 2;
const LABEL_WIDTH = 120;
const BAR_HEIGHT = 16;
const BAR_GAP = 5;
const PANEL_PAD = 36;

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/**
 * Small multiples of horizontal bars: one panel per workload, each with its
 * own scale, because throughput of a one-query request and a twenty-query
 * request differ by an order of magnitude and would flatten each other on a
 * shared axis; ratios share one axis, so panels compare at a glance.
 * Whiskers show the spread the chart names.
 */
export function barChartSvg(chart: BarChart): string {
  const panelWidth = WIDTH / COLUMNS;
  const rowsPerPanel = Math.max(1, ...chart.panels.map((p) => p.bars.length));
  const panelHeight = PANEL_PAD + rowsPerPanel * (BAR_HEIGHT + BAR_GAP) + 12;
  const top = 64;
  const height = top + Math.ceil(chart.panels.length / COLUMNS) * panelHeight + 10;
  const highest = (panel: Panel) => Math.max(...panel.bars.map((b) => b.high ?? b.value), 0);
  const shared = Math.max(...chart.panels.map(highest), 0);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="16" y="28" font-size="18" font-weight="600" fill="#111">${escapeXml(chart.title)}</text>`,
    `<text x="16" y="48" font-size="12" fill="#555">${escapeXml(chart.subtitle)}</text>`,
  ];
  chart.panels.forEach((panel, index) => {
    const x0 = (index % COLUMNS) * panelWidth + 16;
    const y0 = top + Math.floor(index / COLUMNS) * panelHeight;
    const plotWidth = panelWidth - LABEL_WIDTH - 90;
    const max = (chart.sharedAxis ? shared : highest(panel)) || 1;
    parts.push(
      `<text x="${x0}" y="${y0 + 16}" font-size="13" font-weight="600" fill="#222">${escapeXml(panel.title)}</text>`,
    );
    if (chart.reference !== undefined && panel.bars.length > 0) {
      const rx = (x0 + LABEL_WIDTH + (chart.reference / max) * plotWidth).toFixed(1);
      const bottom = y0 + PANEL_PAD - 10 + panel.bars.length * (BAR_HEIGHT + BAR_GAP);
      parts.push(
        `<path d="M${rx} ${y0 + PANEL_PAD - 14} V${bottom}" stroke="#222" stroke-width="1" stroke-dasharray="3 3"/>`,
      );
    }
    panel.bars.forEach((bar, row) => {
      const y = y0 + PANEL_PAD - 10 + row * (BAR_HEIGHT + BAR_GAP);
      const w = (bar.value / max) * plotWidth;
      const bx = x0 + LABEL_WIDTH;
      parts.push(
        `<text x="${bx - 6}" y="${y + BAR_HEIGHT - 4}" font-size="11" text-anchor="end" fill="#333">${escapeXml(bar.label)}</text>`,
        `<rect x="${bx}" y="${y}" width="${Math.max(w, 1).toFixed(1)}" height="${BAR_HEIGHT}" fill="${bar.color}" rx="2"/>`,
      );
      if (bar.low !== undefined && bar.high !== undefined && bar.high > bar.low) {
        const lx = bx + (bar.low / max) * plotWidth;
        const hx = bx + (bar.high / max) * plotWidth;
        const my = y + BAR_HEIGHT / 2;
        parts.push(
          `<path d="M${lx.toFixed(1)} ${my} H${hx.toFixed(1)} M${lx.toFixed(1)} ${my - 4} V${my + 4} M${hx.toFixed(1)} ${my - 4} V${my + 4}" stroke="#222" stroke-width="1"/>`,
        );
      }
      parts.push(
        `<text x="${(bx + Math.max(w, ((bar.high ?? 0) / max) * plotWidth) + 6).toFixed(1)}" y="${y + BAR_HEIGHT - 4}" font-size="11" fill="#111">${escapeXml(chart.format(bar.value))}</text>`,
      );
    });
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
