import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's times (USER_HZ); 100 on every common Linux build. */
const TICKS_PER_SEC = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface ProcTimes {
  readonly parent: number;
  /** user + system of the process itself, ticks. */
  readonly own: number;
  /** user + system of its children that exited and were waited for, ticks. */
  readonly reaped: number;
}

/** Fields of /proc/<pid>/stat after the command name, which may hold spaces and parentheses. */
function procTimes(pid: number): ProcTimes | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // man 5 proc: ppid is field 4, utime..cstime 14..17; this slice starts at field 3.
  const at = (field: number) => Number(fields[field - 3]);
  return { parent: at(4), own: at(14) + at(15), reaped: at(16) + at(17) };
}

const toMicros = (ticks: number) => (ticks / TICKS_PER_SEC) * 1e6;

/** CPU time (user + system) a process has used so far, µs; undefined when it cannot be read. */
export function processCpuUs(pid: number): number | undefined {
  const times = procTimes(pid);
  return times ? toMicros(times.own) : undefined;
}

/**
 * CPU time of a process and its children so far, µs: its own, its reaped
 * children's, and every live child's. For a PostgreSQL server that is the
 * postmaster and every backend, including those that exited (e.g.
 * per-query's connections); for a fleet, the primary and its workers. A
 * child that exits between two readings moves from "live" to "reaped" with
 * its time intact, so a round's difference holds it.
 */
export function familyCpuUs(pid: number): number | undefined {
  const parent = procTimes(pid);
  if (!parent) return undefined;
  let ticks = parent.own + parent.reaped;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const child = procTimes(Number(entry));
    if (child?.parent === pid) ticks += child.own;
  }
  return toMicros(ticks);
}

/** The parent of a process, e.g. the postmaster of a backend; undefined when it cannot be read. */
export function parentPid(pid: number): number | undefined {
  return procTimes(pid)?.parent;
}
