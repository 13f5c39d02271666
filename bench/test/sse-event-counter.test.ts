import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SseEventCounter } from '../src/viewer/sse-event-counter.js';

const HELLO = 'event: hello\ndata: {"strategy":"baseline","dialect":"sqlite","now":12.5}\n\n';
const frame = (scope: number) =>
  `data: {"type":"acquire","t":${scope}.125,"scope":${scope},"conn":"sqlite-1"}\n\n`;

/** The stream cut at the given offsets, as a socket may deliver it. */
function chunks(stream: string, cuts: number[]): Buffer[] {
  const bytes = Buffer.from(stream);
  const at = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  return [0, ...at].map((from, i) => bytes.subarray(from, at[i] ?? bytes.length));
}

describe('SseEventCounter', () => {
  it('counts each lifetime event once, however the stream is cut into chunks, and not the hello', () => {
    fc.assert(
      fc.property(fc.nat({ max: 40 }), fc.array(fc.nat(), { maxLength: 30 }), (events, cuts) => {
        const stream = HELLO + Array.from({ length: events }, (_, i) => frame(i)).join('');
        const counter = new SseEventCounter();
        for (const chunk of chunks(stream, cuts)) counter.push(chunk);
        expect(counter.hello).toBe(true);
        expect(counter.events).toBe(events);
      }),
    );
  });

  it('waits for the hello, a byte at a time if it must', () => {
    const counter = new SseEventCounter();
    for (const byte of Buffer.from(HELLO.slice(0, 10))) counter.push(Buffer.from([byte]));
    expect(counter.hello).toBe(false);
    for (const byte of Buffer.from(HELLO.slice(10) + frame(1))) counter.push(Buffer.from([byte]));
    expect(counter.hello).toBe(true);
    expect(counter.events).toBe(1);
  });
});
