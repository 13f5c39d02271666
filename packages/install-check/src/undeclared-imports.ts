import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { readManifest } from './repository.js';

const BUILTIN = new Set(builtinModules);

/** `kysely/helpers/postgres` → `kysely`; `@types/x` stays whole with its scope. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** A .d.ts importing `express` needs `express` or its `@types/express` declared. */
function declared(name: string, declarations: ReadonlySet<string>): boolean {
  if (declarations.has(name)) return true;
  const typesName = name.startsWith('@') ? name.slice(1).replace('/', '__') : name;
  return declarations.has(`@types/${typesName}`);
}

/**
 * Every import in an installed package's JavaScript and declarations of a
 * package it does not declare (dependencies or peerDependencies), as
 * `file: specifier`. In a monorepo, or any flat node_modules, such an import
 * still resolves by luck; in a user's project it fails at load or leaves a
 * type unresolved.
 */
export function undeclaredImports(packageDir: string): string[] {
  const manifest = readManifest(packageDir);
  const declarations = new Set([
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
  ]);
  const found: string[] = [];
  const files = readdirSync(packageDir, { recursive: true, encoding: 'utf8' }).filter(
    (file) => /\.(js|d\.ts)$/.test(file) && !file.startsWith('node_modules'),
  );
  for (const file of files) {
    const text = readFileSync(join(packageDir, file), 'utf8');
    const { importedFiles } = ts.preProcessFile(text, true, true);
    for (const { fileName: specifier } of importedFiles) {
      if (specifier.startsWith('.') || specifier.startsWith('node:')) continue;
      if (BUILTIN.has(specifier)) continue;
      if (!declared(packageOf(specifier), declarations)) {
        found.push(
          `${manifest.name}/${relative(packageDir, join(packageDir, file))}: ${specifier}`,
        );
      }
    }
  }
  return found;
}
