import { profileNamed } from '@lifetimes/strategies';
import { barChartSvg } from '../shared/bar-chart-svg.js';
import { FLEET_WARM_SEC, type FleetMode } from './fleet-options.js';
import type { DeployRun, FleetCell, FleetResults } from './fleet-results.js';

export const FLEET_CHART = 'fleet-server-connections.svg';

const BOUNCER_COLOR = '#c5cae9';
const MODE_TITLES: Record<FleetMode, string> = {
  direct: 'Straight at the server',
  pgbouncer: 'Through PgBouncer, transaction mode',
};

const count = (n: number) => n.toLocaleString('en-US');
const micros = (us: number | undefined) =>
  us === undefined ? 'n/a' : `${Math.round(us).toLocaleString('en-US')} µs`;

function checksText(checks: Readonly<Record<string, string>>): string {
  const failed = Object.entries(checks)
    .filter(([, check]) => check === 'fail')
    .map(([name]) => name);
  return failed.length === 0 ? 'pass' : `**fail**: ${failed.join(', ')}`;
}

function failuresText(cell: Pick<FleetCell, 'otherFailures' | 'socketErrors' | 'timeouts'>) {
  const parts = [
    cell.otherFailures ? `${count(cell.otherFailures)} other status` : '',
    cell.socketErrors ? `${count(cell.socketErrors)} socket errors` : '',
    cell.timeouts ? `${count(cell.timeouts)} timeouts` : '',
  ].filter(Boolean);
  return parts.length === 0 ? 'none' : parts.join(', ');
}

/** The warm-up's 503s, to follow the round's, when it had any. */
function warmingText(cell: FleetCell): string {
  return cell.warming.refused === 0 ? '' : ` (+${count(cell.warming.refused)} warming)`;
}

/** The round's 503s, and the warm-up's beside them. */
function refusedText(cell: FleetCell): string {
  return `${count(cell.refused)}${warmingText(cell)}`;
}

function cellTable(cells: readonly FleetCell[]): string[] {
  const lines = [
    '| strategy | processes | requests/s | answered | refused (503) | other failures | peak server connections | pooler clients | p99 | app CPU / request | server CPU / request | checks |',
    '| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const cell of cells) {
    // A round where nothing finished measured no rate, latency or CPU per request.
    const finished = cell.ok > 0;
    lines.push(
      `| ${cell.strategy} | ${cell.workers} | ${finished ? count(Math.round(cell.requestsPerSec)) : 'none finished'} | ${count(cell.ok)} | ${refusedText(cell)} | ${failuresText(cell)} | ${cell.peakServerConnections} | ${cell.peakPoolerClients ?? '–'} | ${finished ? `${cell.p99Ms} ms` : '–'} | ${micros(cell.appCpuUsPerRequest)} | ${micros(cell.serverCpuUsPerRequest)} | ${checksText(cell.checks)} |`,
    );
  }
  return lines;
}

function deployTable(deploys: readonly DeployRun[]): string[] {
  const lines = [
    '| mode | phase | peak server connections | answered | refused (503) | other failures | checks |',
    '| --- | --- | ---: | ---: | ---: | --- | --- |',
  ];
  for (const deploy of deploys) {
    // The warm-up's peak is not sampled: it only opens the old fleet's pools.
    const { warming } = deploy;
    lines.push(
      `| ${MODE_TITLES[deploy.mode]} | warm-up | – | ${count(warming.ok)} | ${count(warming.refused)} | ${failuresText(warming)} | ${checksText(deploy.checks)} |`,
    );
    for (const phase of deploy.phases) {
      lines.push(
        `| | ${phase.phase} | ${phase.peakServerConnections} | ${count(phase.ok)} | ${count(phase.refused)} | ${failuresText(phase)} | |`,
      );
    }
  }
  return lines;
}

/** The fleet report, docs/results/fleet.md: what every fleet held and how it failed, if it did. */
export function fleetReport(results: FleetResults): string {
  const { server } = results;
  const modes = [...new Set(results.cells.map((cell) => cell.mode))];
  const bouncer =
    'poolSize' in results.bouncer
      ? `PgBouncer in transaction mode with a pool of ${results.bouncer.poolSize} server connections`
      : `no PgBouncer rows (${results.bouncer.missing})`;
  const lines = [
    '# The fleet bench',
    '',
    `Fleets of \`WORKERS=N\` processes of each app, a pool of ${results.poolSize} per process (\`MAX_CONNECTIONS\`), under \`/slow\` load at 1.5 × N × ${results.poolSize} concurrent connections, so every pool is full. PostgreSQL ${server.embedded ? '(embedded)' : 'at PG_URL'}: max_connections ${server.maxConnections}, ${server.reserved} reserved for superusers, ${server.othersAtStart} held by others at the start: **room for ${server.room}** sessions of the apps' role, which is not a superuser. Then ${bouncer}. Measured ${results.startedAt.slice(0, 10)} on ${results.machine.cpus} cores, Node ${results.machine.node}${results.quick ? '; a quick run: too short for its numbers to mean much' : ''}. Regenerate with \`npx turbo bench -- --fleet\`; the page that explains it is [Many processes](../many-processes.md).`,
    '',
    `![peak server connections per fleet](${FLEET_CHART})`,
    '',
    `Each row is one round of one fleet after ${FLEET_WARM_SEC} s of the same load, in which every process opened its pool: its rate, latency and CPU are single measurements on a busy two-core machine, to be read for their order of magnitude, never compared closely. The warm-up's 503s are shown beside the round's ("+N warming"), since all the pools opening at once is where a fleet past its room meets the limit most surely. What this bench proves is its checks, over the warm-up and the round: \`clearRefusals\` (a request that failed was a 503 with Retry-After, never another status, a dropped connection or a timeout), \`nothingRefusedWhereItFits\` (nothing refused while processes × pool fits the room, and never through PgBouncer), \`serverBounded\` (through PgBouncer the server sees at most the pooler's pool; straight at the server it bounds itself, and sessions it is turning away can show a few more than the room for a moment), \`reservedForAdmin\` (straight at the server, a superuser got a session within 5 s in the middle of the round, trying every 200 ms: what the reserved slots are for; a first try can meet "too many clients" while refused backends still hold their slots), \`drained\` (SIGTERM stopped every worker cleanly).`,
  ];
  for (const mode of modes) {
    lines.push('', `## ${MODE_TITLES[mode]}`, '');
    lines.push(...cellTable(results.cells.filter((cell) => cell.mode === mode)));
  }
  if (results.deploys.length > 0) {
    const workers = results.deploys[0]?.workers ?? 0;
    lines.push(
      '',
      '## A deploy',
      '',
      `${results.deploys[0]?.strategy} with ${workers} processes; a new fleet of ${workers} starts beside it and shares the load while the old one still holds its pools (overlap), then the old one stops. The old fleet's warm-up comes first, checked with the rest.`,
      '',
      ...deployTable(results.deploys),
    );
  }
  lines.push(
    '',
    results.passed ? 'Every check passed.' : '**Some checks failed**: see the rows above.',
    '',
  );
  return lines.join('\n');
}

/** Peak server connections of every fleet, per strategy, straight and through PgBouncer, against the server's room. */
export function fleetChart(results: FleetResults): string {
  const strategies = [...new Set(results.cells.map((cell) => cell.strategy))];
  return barChartSvg({
    title: 'Peak server connections by fleet size (dashed: the room on the server)',
    subtitle: `Pool of ${results.poolSize} per process; strategy's colour: straight at the server, pale: through PgBouncer. ${results.startedAt.slice(0, 10)}, ${results.machine.cpus} cores.`,
    format: (value) => String(value),
    reference: results.server.room,
    panels: strategies.map((strategy) => ({
      title: strategy,
      bars: results.cells
        .filter((cell) => cell.strategy === strategy)
        .sort((a, b) => a.workers - b.workers || a.mode.localeCompare(b.mode))
        .map((cell) => ({
          label: `${cell.workers} × ${cell.mode === 'direct' ? 'direct' : 'PgBouncer'}`,
          value: cell.peakServerConnections,
          color: cell.mode === 'direct' ? profileNamed(strategy).color : BOUNCER_COLOR,
        })),
    })),
  });
}

/** A line per fleet and per deploy, for the console: what the default run's fleet section shows. */
export function fleetSummary(results: FleetResults): string {
  const lines = [
    `The server: room for ${results.server.room} connections; each process a pool of ${results.poolSize}.`,
  ];
  if ('missing' in results.bouncer) lines.push(`No PgBouncer rows. ${results.bouncer.missing}`);
  for (const cell of results.cells) {
    const processes = `${cell.workers} process${cell.workers > 1 ? 'es' : ''}`;
    const rate = cell.ok > 0 ? `${count(Math.round(cell.requestsPerSec))} req/s` : 'none finished';
    lines.push(
      `${cell.mode.padEnd(10)} ${cell.strategy.padEnd(12)} ${processes.padEnd(12)} ${rate.padStart(13)}  503s ${count(cell.refused).padStart(6)}${warmingText(cell)}  other failures: ${failuresText(cell)}  peak server connections ${cell.peakServerConnections}  ${checksText(cell.checks)}`,
    );
  }
  for (const deploy of results.deploys) {
    const peaks = deploy.phases
      .map((phase) => `${phase.phase} ${phase.peakServerConnections}`)
      .join(', ');
    lines.push(
      `${deploy.mode.padEnd(10)} deploy of ${deploy.strategy}, ${deploy.workers} + ${deploy.workers} processes: peak server connections ${peaks}  ${checksText(deploy.checks)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
