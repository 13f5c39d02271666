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
