import { describe, expect, it } from 'vitest';
import { OLDEST_MAJOR, parseRuntimes } from '../src/parse-runtimes.js';

describe('parseRuntimes', () => {
  it('reads majors in the order given, each once', () => {
    expect(parseRuntimes('22,24')).toEqual([22, 24]);
    expect(parseRuntimes(' 24 , 22,24,')).toEqual([24, 22]);
  });

  it('refuses an empty list, saying how to name runtimes', () => {
    expect(() => parseRuntimes(' , ')).toThrow(/No runtime named.*test:runtimes -- 22,24/);
  });

  it('refuses anything but a major, naming it', () => {
    expect(() => parseRuntimes('22,v24')).toThrow(/"v24" is not a Node major/);
    expect(() => parseRuntimes('24.1')).toThrow(/"24.1" is not a Node major/);
    expect(() => parseRuntimes('latest')).toThrow(/"latest" is not a Node major/);
  });

  it('refuses majors older than the project supports', () => {
    expect(() => parseRuntimes(String(OLDEST_MAJOR - 2))).toThrow(
      new RegExp(`Node ${OLDEST_MAJOR - 2} is older than the project supports`),
    );
    expect(parseRuntimes(String(OLDEST_MAJOR))).toEqual([OLDEST_MAJOR]);
  });
});
