import { timelineLegend } from './timeline-legend.js';
import {
  CLOSED,
  colorOf,
  ENGINE_CLOSE,
  EVICT,
  escapeXml,
  OPENED,
  triangle,
  WAIT,
} from './timeline-marks.js';
import type { Hold, Span, TimelineFacts, TimelineModel } from './timeline-model.js';

export interface TimelineInput {
  readonly title: string;
  /** Must keep "; N connection(s) opened." — the course reads N from it. */
  readonly subtitle: string;
  /** How to read the picture's scale. */
  readonly note: string;
  readonly strategy: string;
  readonly driver: string;
  readonly model: TimelineModel;
}

const WIDTH = 1200;
const LEFT = 300;
const RIGHT = 40;
const ROW = 34;
const LANE = 28;
/** The least distance between two query dots of a row, so a burst in one millisecond shows every query. */
const DOT_GAP = 7;
/** Bars closer than this (px) share one label. */
const LABEL_ROOM = 30;
/** Characters of 12 px text per line, with room to spare for wide letters. */
const LINE_CHARS = 170;

const ms = (span: Span) => `${(span.to - span.from).toFixed(1)} ms`;

/** Fact name → SVG attribute: the test reads them back with factsOf(). */
function factAttributes(facts: TimelineFacts): string {
  const attributes = [
    `data-opened="${facts.opened}"`,
    `data-lanes="${facts.lanes}"`,
    `data-holds="${facts.holds}"`,
    `data-waits="${facts.waits}"`,
    `data-evicted="${facts.evicted}"`,
    `data-engines-closed="${facts.enginesClosed}"`,
  ];
  if (facts.tenants.length > 0)
    attributes.push(`data-tenants="${escapeXml(facts.tenants.join(' '))}"`);
  return attributes.join(' ');
}

/**
 * Splits text into lines that fit the picture's width at 12 px, breaking
 * only after `separator`: the subtitle breaks after commas, so its closing
 * "; N connection(s) opened." stays on one line, where the course reads it.
 */
function wrap(text: string, separator: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const piece of text.split(separator)) {
    if (line && line.length + separator.length + piece.length > LINE_CHARS) {
      lines.push(`${line}${separator}`.trimEnd());
      line = piece;
    } else line = line ? `${line}${separator}${piece}` : piece;
  }
  return [...lines, line];
}

function niceStep(span: number): number {
  for (const step of [5, 10, 20, 25, 50, 100, 200, 250, 500, 1000])
    if (span / step <= 14) return step;
  return 2000;
}

/**
 * Two views of one run on one time axis. Above, a row per request: its
 * scope as a thin line, the time it waited for a connection, the time it
 * spent opening one, each connection it held (coloured and numbered by
 * connection) and its queries. Below, a lane per connection: when it was
 * opened and closed, busy and idle, and for a registry which database it
 * belongs to and when that database's engine was evicted and closed.
 */
export function timelineSvg(input: TimelineInput): string {
  const { model } = input;
  const span = Math.max(model.end - model.start, 1);
  const x = (time: number) => LEFT + ((time - model.start) / span) * (WIDTH - LEFT - RIGHT);
  const noteTop = 50 + wrap(input.subtitle, ', ').length * 16;
  const rowsTop = noteTop + wrap(input.note, ' ').length * 16 + 30;
  const lanesHeading = rowsTop + model.rows.length * ROW + 18;
  const lanesTop = lanesHeading + (model.engines.length > 0 ? 34 : 12);
  const axisY = lanesTop + model.lanes.length * LANE + 8;
  const legendTop = axisY + 40;
  const height = legendTop + 64;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" data-strategy="${escapeXml(input.strategy)}" data-driver="${escapeXml(input.driver)}" ${factAttributes(model.facts)}>`,
    '<defs><pattern id="opening" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#eceff1"/><rect width="3" height="6" fill="#78909c"/></pattern></defs>',
    '<rect width="100%" height="100%" fill="#ffffff"/>',
    `<text x="16" y="28" font-size="18" font-weight="600" fill="#111">${escapeXml(input.title)}</text>`,
    ...wrap(input.subtitle, ', ').map(
      (line, i) =>
        `<text class="subtitle" x="16" y="${50 + i * 16}" font-size="12" fill="#444">${escapeXml(line)}</text>`,
    ),
    ...wrap(input.note, ' ').map(
      (line, i) =>
        `<text x="16" y="${noteTop + i * 16}" font-size="12" fill="#666">${escapeXml(line)}</text>`,
    ),
    `<text x="16" y="${rowsTop - 12}" font-size="13" font-weight="600" fill="#333">Requests</text>`,
    `<text x="16" y="${lanesHeading}" font-size="13" font-weight="600" fill="#333">Connections</text>`,
  ];
  const step = niceStep(span);
  for (let t = 0; t <= span; t += step) {
    const tx = x(model.start + t).toFixed(1);
    parts.push(
      `<line class="grid" x1="${tx}" y1="${rowsTop - 6}" x2="${tx}" y2="${axisY}" stroke="#eeeeee"/>`,
      `<line class="tick" x1="${tx}" y1="${axisY}" x2="${tx}" y2="${axisY + 5}" stroke="#333"/>`,
      `<text class="tick" x="${tx}" y="${axisY + 18}" font-size="10" text-anchor="middle" fill="#333">${Math.round(t)} ms</text>`,
    );
  }
  parts.push(
    `<line x1="${LEFT}" y1="${axisY}" x2="${WIDTH - RIGHT}" y2="${axisY}" stroke="#333"/>`,
    `<text x="${WIDTH - RIGHT}" y="${axisY + 32}" font-size="10" text-anchor="end" fill="#555">time since the first request arrived (ms)</text>`,
  );
  model.rows.forEach((row, index) => {
    const y = rowsTop + index * ROW;
    parts.push(
      `<text class="row" x="16" y="${y + 16}" font-size="12" fill="#222">${escapeXml(row.label)}</text>`,
      `<line x1="${x(row.scope.from).toFixed(1)}" y1="${y + 12}" x2="${x(row.scope.to).toFixed(1)}" y2="${y + 12}" stroke="#9e9e9e" stroke-width="2"><title>request: ${ms(row.scope)}</title></line>`,
    );
    for (const wait of row.waits) {
      const w = Math.max(x(wait.to) - x(wait.from), 3);
      parts.push(
        `<rect class="wait" x="${x(wait.from).toFixed(1)}" y="${y + 4}" width="${w.toFixed(1)}" height="16" fill="${WAIT}"><title>waited ${ms(wait)}</title></rect>`,
      );
    }
    for (const opening of row.openings) {
      const w = Math.max(x(opening.to) - x(opening.from), 2);
      parts.push(
        `<rect class="opening" x="${x(opening.from).toFixed(1)}" y="${y + 4}" width="${w.toFixed(1)}" height="16" fill="url(#opening)"><title>opening a connection: ${ms(opening)}</title></rect>`,
      );
    }
    for (const hold of row.holds) {
      const from = x(hold.from);
      const w = Math.max(x(hold.to) - from, 3);
      parts.push(
        `<rect class="hold" x="${from.toFixed(1)}" y="${y + 4}" width="${w.toFixed(1)}" height="16" rx="2" fill="${colorOf(hold.lane)}" fill-opacity="0.85"><title>connection #${hold.lane}: held ${ms(hold)}</title></rect>`,
      );
    }
    const dots: number[] = [];
    for (const time of row.queries) {
      const cx = Math.max(x(time), (dots.at(-1) ?? Number.NEGATIVE_INFINITY) + DOT_GAP);
      dots.push(cx);
      parts.push(
        `<circle class="query" cx="${cx.toFixed(1)}" cy="${y + 12}" r="2.5" fill="#111" stroke="#fff" stroke-width="0.8"/>`,
      );
    }
    // One label per run of bars close together, naming each connection in
    // its colour: per-query's short holds side by side would overprint.
    const runs: Hold[][] = [];
    for (const hold of row.holds) {
      const run = runs.at(-1);
      const previous = run?.at(-1);
      if (run && previous && x(hold.from) - x(previous.to) < LABEL_ROOM) run.push(hold);
      else runs.push([hold]);
    }
    for (const run of runs) {
      const barsEnd = Math.max(...run.map((hold) => Math.max(x(hold.to), x(hold.from) + 3)));
      const dotsEnd = Math.max(
        ...dots.filter((cx) => cx >= x(run[0]?.from ?? 0) && cx <= barsEnd + LABEL_ROOM),
      );
      const names = [...new Set(run.map((hold) => hold.lane))]
        .map((lane) => `<tspan fill="${colorOf(lane)}">#${lane}</tspan>`)
        .join(' ');
      parts.push(
        `<text x="${(Math.max(barsEnd, dotsEnd) + 5).toFixed(1)}" y="${y + 16}" font-size="10" font-weight="600">${names}</text>`,
      );
    }
  });
  model.engines.forEach((mark, index) => {
    const color = mark.type === 'evict' ? EVICT : ENGINE_CLOSE;
    const mx = x(mark.time).toFixed(1);
    const what = mark.type === 'evict' ? 'evicted' : 'closed';
    parts.push(
      `<line class="${mark.type}" x1="${mx}" y1="${lanesTop - 24}" x2="${mx}" y2="${axisY}" stroke="${color}" stroke-width="1.5" stroke-dasharray="5 3"/>`,
      `<text x="${mx}" y="${lanesTop - 26 + (index % 2) * 12}" font-size="10" text-anchor="${index % 2 ? 'start' : 'end'}" dx="${index % 2 ? 3 : -3}" fill="${color}">engine ${escapeXml(mark.tenant)} ${what}</text>`,
    );
  });
  model.lanes.forEach((lane, index) => {
    const y = lanesTop + index * LANE;
    const color = colorOf(lane.lane);
    const name = lane.tenant ? `#${lane.lane} · ${lane.tenant}` : `#${lane.lane}`;
    const before = lane.opened === undefined ? ' (open before the run)' : '';
    parts.push(
      `<text class="lane" x="16" y="${y + 16}" font-size="12" font-weight="600" fill="${color}">${escapeXml(name)}<tspan font-weight="400" fill="#777">${before}</tspan></text>`,
      `<line x1="${x(lane.life.from).toFixed(1)}" y1="${y + 12}" x2="${x(lane.life.to).toFixed(1)}" y2="${y + 12}" stroke="${color}" stroke-opacity="0.45" stroke-width="3"/>`,
    );
    if (lane.opening) {
      const w = Math.max(x(lane.opening.to) - x(lane.opening.from), 2);
      parts.push(
        `<rect class="opening" x="${x(lane.opening.from).toFixed(1)}" y="${y + 5}" width="${w.toFixed(1)}" height="14" fill="url(#opening)"><title>opening: ${ms(lane.opening)}</title></rect>`,
      );
    }
    for (const hold of lane.holds) {
      const w = Math.max(x(hold.to) - x(hold.from), 3);
      parts.push(
        `<rect class="busy" x="${x(hold.from).toFixed(1)}" y="${y + 5}" width="${w.toFixed(1)}" height="14" rx="2" fill="${color}" fill-opacity="0.85"><title>busy ${ms(hold)}</title></rect>`,
      );
    }
    if (lane.opened !== undefined)
      parts.push(triangle(x(lane.opened), y + 12, true, OPENED, 'open'));
    if (lane.closed !== undefined)
      parts.push(triangle(x(lane.closed), y + 12, false, CLOSED, 'close'));
  });
  parts.push(...timelineLegend(legendTop, WIDTH, model.engines.length > 0));
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
