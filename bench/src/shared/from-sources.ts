/**
 * Node's arguments that run one of this repository's TypeScript files from
 * its sources, as `npm run start` does: tsx compiles it, and the
 * `@lifetimes/source` condition resolves every workspace package to its
 * `src/` instead of the `dist/` that only a build writes.
 */
export const FROM_SOURCES: readonly string[] = [
  '--conditions=@lifetimes/source',
  '--import',
  'tsx',
];
