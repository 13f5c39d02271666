import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROFILE_NAMES } from '@lifetimes/strategies';
import { renderBlock } from './bench-blocks.js';
import type { Results } from './bench-cells.js';
import type { FleetResults } from './fleet-block.js';
import { INLINE_FIGURE, inlineFigure } from './inline-figure.js';
import type { ViewerResults } from './viewer-block.js';

export const DOCS = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const REPO = resolve(DOCS, '..');

// `bench:` blocks quote the results; `course:` blocks render the course's
// own data (the exercises). Both are regenerated, never edited by hand.
const BLOCK = /(<!-- (?:bench|course):([^>]*?) -->\n)([\s\S]*?)(<!-- \/(?:bench|course) -->)/g;

export function readResults(): Results {
  return JSON.parse(readFileSync(join(DOCS, 'results/latest.json'), 'utf8')) as Results;
}

/** The fleet bench's latest full run, when one was written (`npx turbo bench -- --fleet`). */
export function readFleet(): FleetResults | undefined {
  const file = join(DOCS, 'results/fleet.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as FleetResults) : undefined;
}

/** The viewer bench's latest full run, when one was written (`npx turbo bench -- --viewer`). */
export function readViewer(): ViewerResults | undefined {
  const file = join(DOCS, 'results/viewer.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ViewerResults) : undefined;
}

/** The page with every block and inline figure rendered from `results` (and `fleet`, for fleet blocks). */
export function renderPage(
  file: string,
  text: string,
  results: Results,
  fleet?: FleetResults,
  viewer?: ViewerResults,
): string {
  const toDocs = relative(dirname(file), DOCS);
  const prefix = toDocs === '' ? '' : `${toDocs}/`;
  return text
    .replace(BLOCK, (_all, open: string, spec: string, _old: string, close: string) => {
      return `${open}${renderBlock(spec, results, prefix, fleet, viewer)}\n${close}`;
    })
    .replace(
      INLINE_FIGURE,
      (_all, spec: string) =>
        `<!-- fig:${spec} -->${inlineFigure(spec, results, DOCS)}<!-- /fig -->`,
    );
}

/** Every page that may hold bench blocks. */
export function pages(): string[] {
  return [
    join(REPO, 'README.md'),
    join(DOCS, 'README.md'),
    ...PROFILE_NAMES.map((s) => join(DOCS, 'strategies', `${s}.md`)),
    join(DOCS, 'pitfalls.md'),
    join(DOCS, 'benchmark-method.md'),
    join(DOCS, 'many-processes.md'),
    join(DOCS, 'exercises.md'),
    join(DOCS, 'timeouts.md'),
    join(DOCS, 'async-context.md'),
    join(DOCS, 'connect-cost.md'),
    join(DOCS, 'serverless.md'),
    join(DOCS, 'choosing.md'),
    join(REPO, 'apps/README.md'),
  ];
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const results = readResults();
  const fleet = readFleet();
  const viewer = readViewer();
  for (const file of pages()) {
    const text = readFileSync(file, 'utf8');
    const next = renderPage(file, text, results, fleet, viewer);
    if (next !== text) {
      writeFileSync(file, next);
      process.stdout.write(`updated ${relative(REPO, file)}\n`);
    }
  }
}
