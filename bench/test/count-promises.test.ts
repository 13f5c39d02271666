import { describe, expect, it } from 'vitest';
import { countPromises } from '../src/micro/count-promises.js';

const settled = Promise.resolve();

describe('countPromises', () => {
  it('counts the promises an op makes, not those of the loop that runs it', async () => {
    const counts = await countPromises(
      {
        rows: [
          { name: 'none', run: () => settled },
          { name: 'one', run: () => new Promise<void>((resolve) => resolve()) },
          {
            name: 'three',
            run: () => new Promise<void>((resolve) => resolve()).then(() => {}).then(() => {}),
          },
        ],
      },
      20,
    );
    expect(Object.fromEntries(counts)).toEqual({ none: 0, one: 1, three: 3 });
  });

  it('counts inside the scopes the operation runs its rows in', async () => {
    let inside = false;
    const counts = await countPromises(
      {
        rows: [
          {
            name: 'scoped',
            run: () => (inside ? settled : Promise.reject(new Error('run outside around'))),
          },
        ],
        around: async (block) => {
          inside = true;
          try {
            return await block();
          } finally {
            inside = false;
          }
        },
      },
      5,
    );
    expect(counts.get('scoped')).toBe(0);
  });
});
