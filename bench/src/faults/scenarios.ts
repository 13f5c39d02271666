import { backendKill } from './backend-kill.js';
import { clientAborts } from './client-aborts.js';
import { exhaustion } from './exhaustion.js';
import type { FaultScenario } from './fault-scenario.js';
import { gracefulShutdown } from './graceful-shutdown.js';
import type { ScenarioName } from './options.js';
import { poolerRestart } from './pooler-restart.js';
import { serverRestart } from './server-restart.js';
import { sigkillRestart } from './sigkill-restart.js';
import { slowNetwork } from './slow-network.js';
import { sqliteDiskFull } from './sqlite-disk-full.js';
import { sqliteLock } from './sqlite-lock.js';
import { workerKill } from './worker-kill.js';

export const SCENARIOS: Record<ScenarioName, FaultScenario> = {
  'client-aborts': clientAborts,
  'backend-kill': backendKill,
  'server-restart': serverRestart,
  'pooler-restart': poolerRestart,
  exhaustion,
  'slow-network': slowNetwork,
  'sqlite-lock': sqliteLock,
  'sigkill-restart': sigkillRestart,
  'sqlite-disk-full': sqliteDiskFull,
  'worker-kill': workerKill,
  'graceful-shutdown': gracefulShutdown,
};
