import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BadDatabaseUrlError, parseDatabaseUrl } from '../src/index.js';

describe('parseDatabaseUrl', () => {
  it('resolves SQLite paths so equal files compare equal', () => {
    expect(parseDatabaseUrl('sqlite:./data/app.db')).toEqual({
      dialect: 'sqlite',
      url: `sqlite:${resolve('data/app.db')}`,
      file: resolve('data/app.db'),
    });
  });

  it('reads a SQLite size quota and keeps it in the URL', () => {
    expect(parseDatabaseUrl('sqlite:app.db?max_page_count=200')).toEqual({
      dialect: 'sqlite',
      url: `sqlite:${resolve('app.db')}?max_page_count=200`,
      file: resolve('app.db'),
      maxPageCount: 200,
    });
  });

  it.each([
    ['sqlite:app.db?max_page_count=0', /max_page_count must be a whole number.*not "0"/],
    ['sqlite:app.db?max_page_count=', /max_page_count must be a whole number.*not ""/],
    ['sqlite:app.db?max_page_count=1e3', /not "1e3"/],
    [
      'sqlite:app.db?timeout=5',
      /timeout is not known: the one parameter a SQLite URL takes is max_page_count/,
    ],
  ])('refuses %s, saying which parameter is wrong', (url, message) => {
    expect(() => parseDatabaseUrl(url)).toThrow(BadDatabaseUrlError);
    expect(() => parseDatabaseUrl(url)).toThrow(message);
  });

  it('accepts both PostgreSQL schemes as they are', () => {
    expect(parseDatabaseUrl('postgres://u@h:5432/d')).toEqual({
      dialect: 'postgres',
      url: 'postgres://u@h:5432/d',
    });
    expect(parseDatabaseUrl('postgresql://u@h/d').dialect).toBe('postgres');
  });

  it.each(['sqlite::memory:', 'sqlite:', 'sqlite:file:x?mode=memory', 'mysql://h/d', 'app.db'])(
    'refuses %s with a message that says what works',
    (url) => {
      expect(() => parseDatabaseUrl(url)).toThrow(BadDatabaseUrlError);
      expect(() => parseDatabaseUrl(url)).toThrow(/use sqlite:<path to a file> or postgres:/);
    },
  );
});
