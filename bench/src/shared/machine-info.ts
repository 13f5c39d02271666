import { cpus, totalmem } from 'node:os';

export interface MachineInfo {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
}

/** The machine a run measured on, for the report's first lines. */
export function machineInfo(): MachineInfo {
  const cpu = cpus();
  return {
    cpus: cpu.length,
    cpuModel: cpu[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

/** When a run started and finished, and on what: the first fields of every results file. */
export interface RunStamp {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly machine: MachineInfo;
}

/** Stamps a run that started at `startedAt` (an ISO time) as finished now, on this machine. */
export function runStamp(startedAt: string): RunStamp {
  return { startedAt, finishedAt: new Date().toISOString(), machine: machineInfo() };
}
