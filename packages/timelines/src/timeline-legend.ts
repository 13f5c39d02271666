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

/** The key: every colour and mark a picture `pictureWidth` wide uses, in two lines from `top`; the engine marks only when it has any. */
export function timelineLegend(top: number, pictureWidth: number, engines: boolean): string[] {
  const items: Array<[string, string]> = [
    [
      '<line x1="0" y1="6" x2="22" y2="6" stroke="#9e9e9e" stroke-width="2"/>',
      'request, arrival to response',
    ],
    [
      `<rect y="0" width="22" height="12" fill="${WAIT}"/>`,
      engines ? 'waiting for a connection or an engine slot' : 'waiting for a connection',
    ],
    [
      '<rect y="0" width="22" height="12" fill="url(#opening)"/>',
      'opening a connection (handshake)',
    ],
    [
      `<rect y="0" width="10" height="12" rx="2" fill="${colorOf(1)}"/><rect x="12" y="0" width="10" height="12" rx="2" fill="${colorOf(2)}"/>`,
      'held; colour and #n: which connection',
    ],
    [
      '<circle cx="11" cy="6" r="2.5" fill="#111"/><circle cx="18" cy="6" r="2.5" fill="#111"/>',
      'a query (dots kept apart, see above)',
    ],
    [
      `<line x1="0" y1="6" x2="22" y2="6" stroke="${colorOf(1)}" stroke-opacity="0.45" stroke-width="3"/>`,
      'connection open, idle',
    ],
    [
      `${triangle(6, 6, true, OPENED, 'key')}${triangle(18, 6, false, CLOSED, 'key')}`,
      'connection opened, closed',
    ],
  ];
  if (engines)
    items.push([
      `<line x1="5" y1="0" x2="5" y2="12" stroke="${EVICT}" stroke-width="1.5" stroke-dasharray="4 2"/><line x1="17" y1="0" x2="17" y2="12" stroke="${ENGINE_CLOSE}" stroke-width="1.5" stroke-dasharray="4 2"/>`,
      'engine evicted, engine closed once drained',
    ]);
  const perLine = 4;
  const width = (pictureWidth - 32) / perLine;
  return items.map(([swatch, text], i) => {
    const ix = 16 + (i % perLine) * width;
    const iy = top + Math.floor(i / perLine) * 24;
    return `<g class="legend" transform="translate(${ix.toFixed(1)} ${iy})">${swatch}<text x="30" y="10" font-size="11" fill="#444">${escapeXml(text)}</text></g>`;
  });
}
