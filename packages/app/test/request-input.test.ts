import { describe, expect, it } from 'vitest';
import { clampedInteger } from '../src/http/clamped-integer.js';
import { rowId } from '../src/http/row-id.js';

describe('clampedInteger (TechEmpower rules)', () => {
  it.each([
    [undefined, 1],
    ['', 1],
    ['foo', 1],
    ['2.5', 1],
    ['1e3', 1],
    [' 5', 1],
    [['3', '4'], 1],
    ['0', 1],
    ['-7', 1],
    ['1', 1],
    ['20', 20],
    ['500', 500],
    ['501', 500],
    ['100000000000000000000000', 500],
  ])('%j means %i', (raw, expected) => {
    expect(clampedInteger(raw, 1, 500, 1)).toBe(expected);
  });
});

describe('rowId', () => {
  it('accepts ids a PostgreSQL integer column can hold, from paths or JSON', () => {
    expect(rowId('1')).toBe(1);
    expect(rowId(2_147_483_647)).toBe(2_147_483_647);
    expect(rowId('2147483647')).toBe(2_147_483_647);
  });

  it.each([['0'], [0], ['-1'], ['abc'], ['1.5'], [1.5], ['2147483648'], [2 ** 40], [null], ['']])(
    'refuses %j',
    (raw) => {
      expect(rowId(raw)).toBeUndefined();
    },
  );
});
