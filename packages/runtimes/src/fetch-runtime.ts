import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execCommand } from './exec-command.js';
import type { NodeRuntime } from './node-runtime.js';

/**
 * The npm package holding this platform's Node binary and headers: the
 * `node` package installs it, and it can be had on its own with `npm pack`.
 */
export function platformPackage(): string {
  const os = process.platform === 'win32' ? 'win' : process.platform;
  return `node-${os}-${process.arch}`;
}

/** Orders versions such as `24.9.0` and `24.22.3` by their numbers, not as text. */
export function compareVersions(a: string, b: string): number {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * The newest release of a Node major, in the cache or fetched into it.
 * Each release is unpacked into a staging folder and renamed into place,
 * so a cached runtime is always whole even when a download was cut short.
 */
export async function fetchRuntime(
  major: number,
  cache: string,
  log: (line: string) => void,
): Promise<NodeRuntime> {
  const version = await newestRelease(major, cache, log);
  const home = join(cache, `node-${version}`);
  if (!existsSync(join(home, 'bin', 'node'))) {
    const spec = `${platformPackage()}@${version}`;
    log(`Node ${major}: fetching ${spec} from the npm registry (about 50 MB, once)`);
    await mkdir(cache, { recursive: true });
    const staging = await mkdtemp(join(cache, '.fetch-'));
    try {
      await execCommand('npm', ['pack', spec, '--pack-destination', staging, '--silent']);
      const tarball = (await readdir(staging)).find((name) => name.endsWith('.tgz'));
      if (!tarball) throw new Error(`npm pack ${spec} wrote no tarball into ${staging}.`);
      const unpacked = join(staging, 'node');
      await mkdir(unpacked);
      await execCommand('tar', [
        'xzf',
        join(staging, tarball),
        '-C',
        unpacked,
        '--strip-components=1',
      ]);
      await rename(unpacked, home);
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }
  const binDir = join(home, 'bin');
  const abi = (await execCommand(join(binDir, 'node'), ['-p', 'process.versions.modules'])).trim();
  return { major, version, binDir, home, abi, machine: false };
}

async function newestRelease(
  major: number,
  cache: string,
  log: (line: string) => void,
): Promise<string> {
  const name = platformPackage();
  let versions: string[];
  try {
    const answer = (
      await execCommand('npm', ['view', `${name}@${major}`, 'version', '--json'])
    ).trim();
    versions = answer === '' ? [] : [JSON.parse(answer) as string | string[]].flat();
  } catch (error) {
    const cached = await cachedReleases(major, cache);
    const newest = cached.at(-1);
    const reason = (error as Error).message.split('\n')[0];
    if (newest) {
      log(`Node ${major}: the npm registry did not answer (${reason}); using the cached ${newest}`);
      return newest;
    }
    throw new Error(
      `Cannot ask the npm registry for Node ${major} (${reason}). ` +
        'Check the network or npm registry setting, then run again; a runtime fetched once is reused offline.',
    );
  }
  const newest = versions.sort(compareVersions).at(-1);
  if (!newest) {
    throw new Error(
      `The npm registry has no Node ${major} for this platform (package ${name}). ` +
        `See which majors it has with: npm view ${name} versions`,
    );
  }
  return newest;
}

async function cachedReleases(major: number, cache: string): Promise<string[]> {
  if (!existsSync(cache)) return [];
  return (await readdir(cache))
    .filter((entry) => entry.startsWith(`node-${major}.`))
    .map((entry) => entry.slice('node-'.length))
    .sort(compareVersions);
}
