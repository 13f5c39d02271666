import type { LifetimeEvent } from '@lifetimes/core';

export interface TimelineInput {
  readonly title: string;
  readonly subtitle: string;
  readonly events: readonly LifetimeEvent[];
  /** Row label per scope id; scopes without one are left out. */
  readonly labels: ReadonlyMap<number, string>;
}

/** A connection held by one scope: from acquire to release, with the queries it ran. */
interface Hold {
  readonly connectionId: string;
  readonly from: number;
  readonly to: number;
}

const PALETTE = [
  '#1e88e5',
  '#e53935',
  '#43a047',
  '#fb8c00',
  '#8e24aa',
  '#00897b',
  '#6d4c41',
  '#3949ab',
];
const WIDTH = 960;
const LEFT = 270;
const RIGHT = 30;
const ROW = 46;
const TOP = 70;

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Pairs each acquire in a scope with the release of the same connection. */
function holdsOf(events: readonly LifetimeEvent[], scopeId: number, end: number): Hold[] {
  const open = new Map<string, number>();
  const holds: Hold[] = [];
  for (const event of events) {
    if (event.scopeId !== scopeId || !event.connectionId) continue;
    if (event.type === 'acquire') open.set(event.connectionId, event.time);
    if (event.type === 'release') {
      const from = open.get(event.connectionId);
      if (from !== undefined)
        holds.push({ connectionId: event.connectionId, from, to: event.time });
      open.delete(event.connectionId);
    }
  }
  for (const [connectionId, from] of open) holds.push({ connectionId, from, to: end });
  return holds;
}

/**
 * One row per request; a thin line is the request's scope, a thick bar each
 * connection it held (acquire to release, coloured and named by connection),
 * dots its queries, ▲ a connection opened and ▼ one closed. Read across a
 * row to see how long a request kept a connection; down a column to see
 * which connections were busy at once.
 */
export function timelineSvg(input: TimelineInput): string {
  const scopes = [...input.labels.keys()].sort((a, b) => a - b);
  const relevant = input.events.filter(
    (e) => e.scopeId === undefined || input.labels.has(e.scopeId),
  );
  const t0 = Math.min(...relevant.map((e) => e.time));
  const t1 = Math.max(...relevant.map((e) => e.time));
  const span = Math.max(t1 - t0, 1);
  const x = (time: number) => LEFT + ((time - t0) / span) * (WIDTH - LEFT - RIGHT);
  const colors = new Map<string, string>();
  const colorOf = (id: string) => {
    if (!colors.has(id)) colors.set(id, PALETTE[colors.size % PALETTE.length] ?? '#555');
    return colors.get(id) ?? '#555';
  };
  const height = TOP + scopes.length * ROW + 60;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif">`,
    '<rect width="100%" height="100%" fill="#ffffff"/>',
    `<text x="16" y="28" font-size="18" font-weight="600" fill="#111">${escapeXml(input.title)}</text>`,
    `<text x="16" y="48" font-size="12" fill="#555">${escapeXml(input.subtitle)}</text>`,
  ];
  // Opens and closes can happen outside any scope (a teardown after the
  // response): draw each on the row whose hold of that connection is nearest.
  const holdsByRow = scopes.map((scopeId) => {
    const end = relevant.find((e) => e.scopeId === scopeId && e.type === 'scope-end')?.time ?? t1;
    return holdsOf(relevant, scopeId, end);
  });
  const rowOf = (event: LifetimeEvent): number | undefined => {
    let best: { row: number; distance: number } | undefined;
    holdsByRow.forEach((holds, row) => {
      for (const hold of holds) {
        if (hold.connectionId !== event.connectionId) continue;
        const distance = Math.min(Math.abs(event.time - hold.from), Math.abs(event.time - hold.to));
        if (!best || distance < best.distance) best = { row, distance };
      }
    });
    return best?.row;
  };
  scopes.forEach((scopeId, row) => {
    const y = TOP + row * ROW;
    const mine = relevant.filter((e) => e.scopeId === scopeId);
    const start = mine.find((e) => e.type === 'scope-start')?.time ?? t0;
    const end = mine.find((e) => e.type === 'scope-end')?.time ?? t1;
    parts.push(
      `<text x="16" y="${y + 18}" font-size="12" fill="#222">${escapeXml(input.labels.get(scopeId) ?? '')}</text>`,
      `<line x1="${x(start).toFixed(1)}" y1="${y + 14}" x2="${x(end).toFixed(1)}" y2="${y + 14}" stroke="#9e9e9e" stroke-width="2"/>`,
    );
    let labelEnd = 0;
    for (const hold of holdsByRow[row] ?? []) {
      const color = colorOf(hold.connectionId);
      const w = Math.max(x(hold.to) - x(hold.from), 2);
      parts.push(
        `<rect x="${x(hold.from).toFixed(1)}" y="${y + 6}" width="${w.toFixed(1)}" height="16" rx="3" fill="${color}" fill-opacity="0.8"><title>${escapeXml(hold.connectionId)}: held ${(hold.to - hold.from).toFixed(1)} ms</title></rect>`,
      );
      // Names only where they fit: a burst of short holds would overprint.
      if (x(hold.from) >= labelEnd) {
        parts.push(
          `<text x="${x(hold.from).toFixed(1)}" y="${y + 36}" font-size="10" fill="${color}">${escapeXml(hold.connectionId)}</text>`,
        );
        labelEnd = x(hold.from) + hold.connectionId.length * 6 + 6;
      }
    }
    for (const event of mine) {
      if (event.type === 'query')
        parts.push(`<circle cx="${x(event.time).toFixed(1)}" cy="${y + 14}" r="3" fill="#111"/>`);
    }
  });
  for (const event of relevant) {
    if (event.type !== 'open' && event.type !== 'close') continue;
    const row = rowOf(event);
    if (row === undefined) continue;
    const y = TOP + row * ROW;
    const [mark, color] = event.type === 'open' ? ['▲', '#2e7d32'] : ['▼', '#c62828'];
    parts.push(
      `<text x="${x(event.time).toFixed(1)}" y="${y + 4}" font-size="10" text-anchor="middle" fill="${color}">${mark}</text>`,
    );
  }
  const axisY = TOP + scopes.length * ROW + 10;
  parts.push(
    `<line x1="${LEFT}" y1="${axisY}" x2="${WIDTH - RIGHT}" y2="${axisY}" stroke="#333"/>`,
  );
  const step = niceStep(span);
  for (let t = 0; t <= span; t += step) {
    const tx = x(t0 + t).toFixed(1);
    parts.push(
      `<line x1="${tx}" y1="${axisY}" x2="${tx}" y2="${axisY + 5}" stroke="#333"/>`,
      `<text x="${tx}" y="${axisY + 18}" font-size="10" text-anchor="middle" fill="#333">${Math.round(t)} ms</text>`,
    );
  }
  parts.push(
    `<text x="16" y="${axisY + 40}" font-size="11" fill="#555">thin line: the request's scope · bar: a connection it held · dot: a query · ▲ opened · ▼ closed</text>`,
    '</svg>',
  );
  return `${parts.join('\n')}\n`;
}

function niceStep(span: number): number {
  for (const step of [5, 10, 20, 25, 50, 100, 200, 500, 1000]) if (span / step <= 12) return step;
  return 2000;
}
