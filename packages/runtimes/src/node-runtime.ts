import { dirname } from 'node:path';

/** One Node the suite runs under: the machine's own, or one fetched into the cache. */
export interface NodeRuntime {
  readonly major: number;
  /** The full version, without the `v`: `24.22.3`. */
  readonly version: string;
  /** The folder holding `node`, put first on PATH for everything the suite starts. */
  readonly binDir: string;
  /** The folder holding `bin/node` and `include/node`: node-gyp's `--nodedir`. */
  readonly home: string;
  /** `process.versions.modules`: a native module loads only under the ABI it was built for. */
  readonly abi: string;
  readonly machine: boolean;
}

/** The Node running this process. */
export function machineRuntime(): NodeRuntime {
  const binDir = dirname(process.execPath);
  return {
    major: Number(process.versions.node.split('.')[0]),
    version: process.versions.node,
    binDir,
    home: dirname(binDir),
    abi: process.versions.modules,
    machine: true,
  };
}
