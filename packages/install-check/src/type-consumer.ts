import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes a TypeScript file that re-exports every entry point whole, so tsc
 * resolves each declaration it ships, and a tsconfig as strict as a careful
 * user's, checking the packages' .d.ts too (skipLibCheck off). Returns the
 * tsconfig's path, for `tsc --noEmit -p`.
 */
export function writeTypeConsumer(projectDir: string, entries: readonly string[]): string {
  const reexports = entries.map((entry, i) => `export * as entry${i} from '${entry}';`);
  const usage = [
    "import type { ConnectionStrategy } from '@lifetimes/core';",
    "import { PerRequestStrategy } from '@lifetimes/per-request';",
    "import { ScopedSessionStrategy } from '@lifetimes/scoped-session';",
    'interface Database { visit: { path: string } }',
    'export const strategies: ConnectionStrategy<Database>[] = [',
    "  new PerRequestStrategy<Database>('sqlite:app.db', { maxOpen: 20 }),",
    "  new ScopedSessionStrategy<Database>('postgres://localhost/app', { poolSize: 10 }),",
    '];',
    "export const paths = strategies[0]?.db.selectFrom('visit').select('path').compile();",
  ];
  writeFileSync(join(projectDir, 'consumer.ts'), `${[...reexports, ...usage].join('\n')}\n`);
  const tsconfig = join(projectDir, 'tsconfig.json');
  writeFileSync(
    tsconfig,
    `${JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2023',
          lib: ['ES2023', 'ESNext.Disposable'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          skipLibCheck: false,
          noEmit: true,
          types: ['node'],
        },
        files: ['consumer.ts'],
      },
      null,
      2,
    )}\n`,
  );
  return tsconfig;
}
