import { parseArgs } from 'node:util';
import { EXERCISES } from './exercises.js';
import { REPOSITORY_ROOT } from './repository.js';
import { runExercise } from './run-exercise.js';

const USAGE = `npm run exercise -- NAME     break a lifetime on purpose and watch the suite catch it
npm run exercise -- --list   the exercises`;

function list(): string {
  const width = Math.max(...EXERCISES.map((e) => e.name.length));
  return EXERCISES.map((e) => `  ${e.name.padEnd(width)}  ${e.title.replaceAll('`', '')}`).join(
    '\n',
  );
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(`${USAGE}\n\n${list()}`);
    return 0;
  }
  if (values.list || positionals.length === 0) {
    console.log(`${list()}\n\nRun one: npm run exercise -- ${EXERCISES[0]?.name}`);
    return 0;
  }
  if (positionals.length > 1) {
    console.error(`One exercise at a time: got ${positionals.join(', ')}.`);
    return 2;
  }
  const name = positionals[0];
  const exercise = EXERCISES.find((e) => e.name === name);
  if (!exercise) {
    console.error(`No exercise named ${name}. The exercises:\n${list()}`);
    return 2;
  }
  return (await runExercise(REPOSITORY_ROOT, exercise, (text) => console.log(text))) ? 0 : 1;
}

// Exits explicitly: tsx does not pass process.exitCode on to its caller.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
