import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPatch } from 'diff';
import { applyEdits } from './apply-edits.js';
import { CATALOGUE } from './catalogue.js';
import type { Exercise } from './exercises.js';
import type { Mutation } from './mutation.js';
import { runCatalogue } from './run-catalogue.js';

/** The catalogue entry an exercise applies; a missing one is a defect of the exercise list. */
export function mutationOf(exercise: Exercise): Mutation {
  const found = CATALOGUE.find((m) => m.name === exercise.mutation);
  if (!found) {
    throw new Error(
      `Exercise ${exercise.name} names mutation ${exercise.mutation}, which is not in src/catalogue.ts.`,
    );
  }
  return found;
}

/** The change an exercise makes, as a unified diff of its one file against today's code. */
export function exerciseDiff(root: string, exercise: Exercise): string {
  const mutation = mutationOf(exercise);
  const original = readFileSync(join(root, mutation.file), 'utf8');
  const mutated = applyEdits(mutation.file, original, mutation.edits);
  return createPatch(mutation.file, original, mutated, 'as shipped', 'with the bug', {
    context: 3,
  });
}

const indent = (text: string) => text.replace(/^/gm, '  ');

/**
 * Shows the learner the bug, applies it, runs the cases that must catch it,
 * explains what failed and why, and puts the file back (the mutation
 * runner restores it in every way a run can end). True when the suite
 * failed exactly the named cases, on every named driver.
 */
export async function runExercise(
  root: string,
  exercise: Exercise,
  print: (text: string) => void,
): Promise<boolean> {
  const mutation = mutationOf(exercise);
  const { suite } = mutation;
  print(`# ${exercise.title}\n\n${exercise.seenIn}\n`);
  print(`The change, in ${mutation.file}:\n\n${exerciseDiff(root, exercise)}`);
  print(
    `Running ${suite.workspace}/${suite.file}, cases ${suite.cases.join(', ')}, on ${suite.drivers.join(' and ')}, with the bug in place ...`,
  );
  // The runner's own line gives the verdict and the name of every case that failed.
  const [result] = await runCatalogue(root, [mutation], print);
  if (!result) throw new Error(`The mutation runner returned no result for ${mutation.name}.`);
  print(`\n${mutation.file} is as shipped again.\n`);
  if (result.verdict === 'caught') {
    print(
      `Why those cases fail:\n${indent(exercise.whyItFails)}\n\nThe fix:\n${indent(exercise.fix)}\n`,
    );
    print(`More: ${mutation.reference}`);
    return true;
  }
  if (result.verdict === 'error') {
    print(`The suite gave no verdict: ${result.outcome.error}`);
  } else {
    const missed = result.verdict === 'survived' ? suite.cases : result.missed;
    print(
      `The suite did not catch it as it should (${result.verdict}): ${missed.join(', ')} passed with the bug in place. ` +
        'A case meant to guard this lifetime has stopped guarding it: run `npm run mutations -- --only ' +
        `${mutation.name}\` and restore what the case checked.`,
    );
  }
  return false;
}
