import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/** The repository root, for finding the apps. */
export function repoRoot(): string {
  return REPO;
}
