import { defaultServerConditions } from 'vite';

/**
 * Every test runs the packages from their sources: `@lifetimes/source` is the
 * condition each package's `exports` maps to `src/*.ts`, ahead of `dist/`,
 * which only a build writes. Vitest resolves inlined modules with these
 * conditions and passes them to its workers as `--conditions`, so a test
 * never needs a build first and never runs a stale `dist/`.
 */
export const sourceConditions = {
  ssr: { resolve: { conditions: ['@lifetimes/source', ...defaultServerConditions] } },
};
