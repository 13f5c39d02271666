import { EXERCISES, mutationOf } from '@lifetimes/mutations';

const DRIVER_NAME: Record<string, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

/**
 * One section per exercise, from the exercise list and the mutation
 * catalogue, so the page names the same file, cases and drivers the
 * command runs. `linkPrefix` is the way from the page to docs/.
 */
export function exercisesBlock(linkPrefix: string): string {
  const repo = `${linkPrefix}../`;
  return EXERCISES.map((exercise, index) => {
    const mutation = mutationOf(exercise);
    const { suite } = mutation;
    const cases = suite.cases.map((c) => `\`${c}\``).join(' and ');
    const drivers = suite.drivers.map((d) => DRIVER_NAME[d] ?? d).join(' and ');
    const testFile = `${suite.workspace}/${suite.file}`;
    return [
      `### ${index + 1}. ${exercise.title}`,
      '',
      `\`npm run exercise -- ${exercise.name}\` changes [\`${mutation.file}\`](${repo}${mutation.file}); ${cases} in [\`${testFile}\`](${repo}${testFile}) must fail${drivers ? `, on ${drivers}` : ''}.`,
      '',
      `- **The bug:** ${mutation.explanation}`,
      `- **Where it is met:** ${exercise.seenIn} ([reference](${mutation.reference}))`,
      `- **What fails:** ${exercise.whyItFails}`,
      `- **The fix:** ${exercise.fix}`,
    ].join('\n');
  }).join('\n\n');
}
