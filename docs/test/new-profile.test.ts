import { relative } from 'node:path';
import { ADDED_PROFILE as ADDED, withAddedRows } from '@lifetimes/strategies/with-added-profile';
import { describe, expect, it, vi } from 'vitest';
import { renderBlock } from '../src/bench-blocks.js';
import { DOCS, pages, readResults } from '../src/update-docs.js';

/**
 * What adding a strategy means for the course: one more profile in the
 * list. Here the list gains `per-statement` (withAddedProfile), and the
 * course must give it its page and its rows without being told.
 */
vi.mock('@lifetimes/strategies', async (original) =>
  (await import('@lifetimes/strategies/with-added-profile')).withAddedProfile(await original()),
);

/** The committed run, with the rows a run with the added profile would have. */
function resultsWithAdded(): ReturnType<typeof readResults> {
  const results = readResults();
  return { ...results, cells: withAddedRows(results.cells) };
}

describe('a profile added to the list', () => {
  it('has a strategy page the docs command renders', () => {
    expect(pages().map((file) => relative(DOCS, file))).toContain(`strategies/${ADDED}.md`);
  });

  it("is a row of the course's summary table, and has its own table, from the bench's cells", () => {
    const results = resultsWithAdded();
    expect(renderBlock('summary', results, '')).toMatch(new RegExp(`^\\| ${ADDED} \\|`, 'm'));
    const own = renderBlock(`strategy name=${ADDED}`, results, '');
    expect(own).toMatch(/^\| `db` \|/m);
    expect(own).toBe(renderBlock('strategy name=per-request', results, ''));
  });
});
