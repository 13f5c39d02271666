import { cpus } from 'node:os';

/**
 * Whether a run asked to pin (`pin`, off with --no-pin) can: taskset is
 * Linux's, and one core cannot be split between the app and the load.
 * Then the app runs on core 0 and the bench, its load generator and its
 * children on core 1.
 */
export function pinsApps(pin: boolean): boolean {
  return pin && process.platform === 'linux' && cpus().length >= 2;
}
