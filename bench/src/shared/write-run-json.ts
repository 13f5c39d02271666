import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Writes one run's results as `<prefix><start time>.json` under `dir`
 * (colons made file-name safe, milliseconds dropped), so runs sort by time
 * and never overwrite each other. Returns the file and the text written, for
 * callers that copy it beside the docs too.
 */
export async function writeRunJson(
  dir: string,
  prefix: string,
  startedAt: string,
  results: unknown,
): Promise<{ json: string; body: string }> {
  await mkdir(dir, { recursive: true });
  const stamp = startedAt.replaceAll(':', '-').replace(/\.\d+Z$/, 'Z');
  const json = join(dir, `${prefix}${stamp}.json`);
  const body = `${JSON.stringify(results, null, 2)}\n`;
  await writeFile(json, body);
  return { json, body };
}
