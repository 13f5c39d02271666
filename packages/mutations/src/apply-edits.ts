import type { Edit } from './mutation.js';

/**
 * Applies each edit to `text` in order. Each `find` must occur exactly
 * once: a refactor that moved or changed the text must fail the run, not
 * turn the mutation into a no-op that "survives" or, worse, passes.
 */
export function applyEdits(file: string, text: string, edits: readonly Edit[]): string {
  let result = text;
  for (const { find, replace } of edits) {
    const count = result.split(find).length - 1;
    if (count !== 1) {
      throw new Error(
        `${file}: the text to replace occurs ${count} times, not once:\n${find}\n` +
          'The file changed since the mutation was written: update its `find` text in ' +
          'packages/mutations/src/catalogue.ts to match the code again.',
      );
    }
    result = result.replace(find, () => replace);
  }
  return result;
}
