import { readdirSync, readFileSync } from 'node:fs';
import { parentPid } from '../../src/shared/proc-cpu.js';

/** The pids of the live-viewer processes whose parent is `parent`, read from /proc (Linux). */
export function viewerProcesses(parent: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        return (
          parentPid(pid) === parent &&
          readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('live-viewer-child.ts')
        );
      } catch {
        return false; // Gone between the listing and the read.
      }
    });
}

/** Whether `pid` no longer runs: gone, or a zombie that a container's init may never reap. */
export function hasExited(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  try {
    return /^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return true; // Reaped since the signal.
  }
}

/**
 * The scheduling policy of `pid`'s main thread, from field 41 of
 * /proc/<pid>/stat (Linux): 'idle' for SCHED_IDLE, 'normal' for the default.
 */
export function schedulingPolicy(pid: number): 'normal' | 'idle' | 'other' {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count from after its ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const policy = Number(fields[41 - 3]);
  return policy === 5 ? 'idle' : policy === 0 ? 'normal' : 'other';
}
