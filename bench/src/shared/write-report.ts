import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Writes a run's report as `name` under `docsDir` when the run asked for one; returns where it went. */
export async function writeReport(
  docsDir: string | undefined,
  name: string,
  render: () => string,
): Promise<string | undefined> {
  if (!docsDir) return undefined;
  await mkdir(docsDir, { recursive: true });
  const report = join(docsDir, name);
  await writeFile(report, render());
  return report;
}
