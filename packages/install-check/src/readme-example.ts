import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const HEADING = '## Wire it into express';
const BLOCK = /```js\n([\s\S]*?)```\n/;

/**
 * The whole express app a package's README shows under "Wire it into
 * express", or undefined for a package without one. The README is the one
 * copy: the install test saves this text as a file and runs it, so the
 * example a reader copies is the one that was run.
 */
export function readmeExample(packageDir: string): string | undefined {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
  const section = readme.indexOf(`\n${HEADING}\n`);
  if (section === -1) return undefined;
  const code = BLOCK.exec(readme.slice(section))?.[1];
  if (code === undefined) {
    throw new Error(
      `${packageDir}/README.md has "${HEADING}" but no \`\`\`js block under it: put the example app there.`,
    );
  }
  return code;
}
