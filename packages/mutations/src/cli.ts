import { parseArgs } from 'node:util';
import { CATALOGUE } from './catalogue.js';
import { REPOSITORY_ROOT } from './repository.js';
import { runCatalogue } from './run-catalogue.js';

const USAGE = `npm run mutations [-- --list | --only NAME ...]
  (no option)  apply every mutation in turn and run the cases that must catch it
  --list       print the catalogue
  --only NAME  run only this mutation (repeatable)`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      list: { type: 'boolean', default: false },
      only: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.list) {
    for (const m of CATALOGUE) {
      console.log(`${m.name}\n  ${m.file}\n  ${m.explanation}\n  ${m.reference}\n`);
    }
    return 0;
  }
  const only = values.only ?? [];
  const unknown = only.filter((name) => !CATALOGUE.some((m) => m.name === name));
  if (unknown.length > 0) {
    console.error(`No mutation named ${unknown.join(', ')}. --list prints the catalogue.`);
    return 2;
  }
  const chosen = only.length > 0 ? CATALOGUE.filter((m) => only.includes(m.name)) : CATALOGUE;
  const results = await runCatalogue(REPOSITORY_ROOT, chosen, (line) => console.log(line));
  const caught = results.filter((r) => r.verdict === 'caught').length;
  const missed = results.filter((r) => r.verdict !== 'caught').map((r) => r.mutation.name);
  console.log(`\n${caught} of ${results.length} mutations caught.`);
  if (missed.length > 0) {
    console.log(
      `Not caught: ${missed.join(', ')}. A survivor is a bug the suites let through: add the ` +
        'case that fails on it. A partial catch names a case that no longer fails on the bug: ' +
        'restore what it checked, or take it out of the entry. An error is an entry to fix in ' +
        'src/catalogue.ts.',
    );
    return 1;
  }
  return 0;
}

// Exits explicitly: tsx does not pass process.exitCode on to its caller.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
