import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTempDir, type TempDir } from '@lifetimes/databases';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Backup } from '../src/backup.js';

describe('Backup', () => {
  let dir: TempDir;
  let backupPath: string;
  beforeEach(async () => {
    dir = await createTempDir('lifetimes-backup');
    backupPath = join(dir.path, '.backup.json');
    writeFileSync(join(dir.path, 'a.ts'), 'original');
  });
  afterEach(() => dir.remove());
  const read = () => readFileSync(join(dir.path, 'a.ts'), 'utf8');

  it('restores the original after a run that died with the mutation applied', () => {
    new Backup(dir.path, backupPath).apply('a.ts', 'original', 'mutated');
    expect(read()).toBe('mutated');
    expect(new Backup(dir.path, backupPath).recover()).toBe('a.ts');
    expect(read()).toBe('original');
    expect(existsSync(backupPath)).toBe(false);
  });

  it('leaves a file edited since the crash alone, and says what to compare', () => {
    new Backup(dir.path, backupPath).apply('a.ts', 'original', 'mutated');
    writeFileSync(join(dir.path, 'a.ts'), 'edited by hand');
    expect(() => new Backup(dir.path, backupPath).recover()).toThrow(
      /a\.ts has changed since it was mutated.*"original"/,
    );
    expect(read()).toBe('edited by hand');
    expect(existsSync(backupPath)).toBe(true);
  });

  it('restores once, however many times it is asked', () => {
    const backup = new Backup(dir.path, backupPath);
    backup.apply('a.ts', 'original', 'mutated');
    backup.restore();
    writeFileSync(join(dir.path, 'a.ts'), 'later work');
    backup.restore();
    expect(read()).toBe('later work');
  });
});
