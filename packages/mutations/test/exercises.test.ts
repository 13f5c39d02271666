import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../src/catalogue.js';
import { EXERCISES } from '../src/exercises.js';
import { REPOSITORY_ROOT } from '../src/repository.js';
import { exerciseDiff, mutationOf } from '../src/run-exercise.js';

const cli = (...args: string[]) =>
  spawnSync(
    process.execPath,
    ['--conditions=@lifetimes/source', '--import', 'tsx', 'src/exercise-cli.ts', ...args],
    {
      cwd: join(REPOSITORY_ROOT, 'packages/mutations'),
      encoding: 'utf8',
      timeout: 240_000,
    },
  );

describe('the exercises', () => {
  it('break each lifetime the course names, each through a mutation of the catalogue', () => {
    expect(EXERCISES.map((e) => e.name)).toEqual([
      'release-on-finish',
      'commit-at-teardown',
      'reuse-broken-connection',
      'drop-drain-on-eviction',
      'share-one-connection',
      'forget-the-lock',
    ]);
    for (const exercise of EXERCISES) {
      expect(CATALOGUE).toContain(mutationOf(exercise));
    }
  });

  it('show the change as a diff of the one file, lines taken out and put in', () => {
    const exercise = EXERCISES.find((e) => e.name === 'release-on-finish');
    if (!exercise) throw new Error('release-on-finish is missing');
    const diff = exerciseDiff(REPOSITORY_ROOT, exercise);
    expect(diff).toContain('--- packages/core/src/scope/scope-store.ts');
    expect(diff).toContain("-      res.once('close', () => {");
    expect(diff).toContain("+      res.once('finish', () => {");
  });

  it('refuse an unknown name and list the exercises', () => {
    const run = cli('release-on-close');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('No exercise named release-on-close');
    expect(run.stderr).toContain('forget-the-lock');
  });

  it('run one end to end: the diff, the named case failing, why, the fix, and the file as shipped again', () => {
    const exercise = EXERCISES.find((e) => e.name === 'share-one-connection');
    if (!exercise) throw new Error('share-one-connection is missing');
    const mutation = mutationOf(exercise);
    const file = join(REPOSITORY_ROOT, mutation.file);
    const before = readFileSync(file, 'utf8');
    const run = cli(exercise.name);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('+++ packages/baseline/src/strategy.ts');
    expect(run.stdout).toContain('-    await acquireWithin(this.#mutex, this.#mutexWait);');
    expect(run.stdout).toMatch(/caught +baseline-sqlite-without-mutex/);
    expect(run.stdout).toContain('baseline on sqlite concurrent-in-scope');
    expect(run.stdout).toContain(exercise.whyItFails);
    expect(run.stdout).toContain(exercise.fix);
    expect(readFileSync(file, 'utf8')).toBe(before);
  }, 240_000);
});
