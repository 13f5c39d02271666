/** The oldest Node major the project supports: the root package's `engines`. */
export const OLDEST_MAJOR = 20;

const EXAMPLE = 'npm run test:runtimes -- 22,24';

/**
 * Reads the runtimes to test from a list of Node majors such as `22,24`.
 * Majors only: each one is fetched as its newest release, so a run today
 * and a run next month both test what a team installing that major gets.
 * `example` is the command line the errors show.
 */
export function parseRuntimes(list: string, example = EXAMPLE): number[] {
  const items = list
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) {
    throw new Error(`No runtime named. Name Node majors separated by commas: ${example}`);
  }
  const majors: number[] = [];
  for (const item of items) {
    if (!/^\d+$/.test(item)) {
      throw new Error(
        `"${item}" is not a Node major. Name majors only, separated by commas (24, not v24 or 24.1): ${example}`,
      );
    }
    const major = Number(item);
    if (major < OLDEST_MAJOR) {
      throw new Error(
        `Node ${major} is older than the project supports (Node ${OLDEST_MAJOR} and later). Name ${OLDEST_MAJOR} or a later major.`,
      );
    }
    if (!majors.includes(major)) majors.push(major);
  }
  return majors;
}
