/** The colours and marks every part of a timeline shares. */

const PALETTE = [
  '#1e88e5',
  '#e53935',
  '#43a047',
  '#8e24aa',
  '#00897b',
  '#6d4c41',
  '#3949ab',
  '#c0ca33',
  '#d81b60',
  '#546e7a',
  '#f4511e',
];
export const WAIT = '#ffb300';
export const OPENED = '#2e7d32';
export const CLOSED = '#c62828';
export const EVICT = '#6a1b9a';
export const ENGINE_CLOSE = '#b71c1c';

export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

/** A connection lane's colour: lanes are numbered from 1. */
export const colorOf = (lane: number): string => PALETTE[(lane - 1) % PALETTE.length] ?? '#555';
/** ▲ (up) or ▼ as a path, the same size in every renderer, unlike a text glyph. */
export function triangle(x: number, y: number, up: boolean, color: string, kind: string): string {
  const d = up
    ? `M${(x - 5).toFixed(1)} ${y + 4} L${(x + 5).toFixed(1)} ${y + 4} L${x.toFixed(1)} ${y - 5} Z`
    : `M${(x - 5).toFixed(1)} ${y - 4} L${(x + 5).toFixed(1)} ${y - 4} L${x.toFixed(1)} ${y + 5} Z`;
  return `<path class="${kind}" d="${d}" fill="${color}"/>`;
}
