import { backendKill } from './backend-kill.js';
import { clientAborts } from './client-aborts.js';
import { exhaustion } from './exhaustion.js';
import type { ScenarioName } from './fault-options.js';
import type { FaultScenario } from './fault-scenario.js';
import { gracefulShutdown } from './graceful-shutdown.js';
import { serverRestart } from './server-restart.js';
import { sigkillRestart } from './sigkill-restart.js';
import { slowNetwork } from './slow-network.js';
import { sqliteDiskFull } from './sqlite-disk-full.js';
import { sqliteLock } from './sqlite-lock.js';

export const SCENARIOS: Record<ScenarioName, FaultScenario> = {
  'client-aborts': clientAborts,
  'backend-kill': backendKill,
  'server-restart': serverRestart,
  exhaustion,
  'slow-network': slowNetwork,
  'sqlite-lock': sqliteLock,
  'sigkill-restart': sigkillRestart,
  'sqlite-disk-full': sqliteDiskFull,
  'graceful-shutdown': gracefulShutdown,
};
