import { createServer, type ServerResponse } from 'node:http';
import { randomWorldNumber } from '@lifetimes/schema';
import { openFloorDatabase, type World } from './floor-database.js';

/**
 * The bench's floor row: `/db` and `/queries` on `node:http` straight onto
 * better-sqlite3 or pg, no framework and no query builder, so the docs can
 * split a request's cost into framework, query builder and lifetime.
 */
const MAX_QUERIES = 500;
const port = Number(process.env.PORT ?? 3000);
const url = process.env.DATABASE_URL;
if (!url) {
  process.stderr.write('DATABASE_URL is not set: give the floor a sqlite: or postgres:// URL.\n');
  process.exit(2);
}
const database = await openFloorDatabase(
  url,
  Number(process.env.MAX_CONNECTIONS ?? 10),
  'lifetimes-app-driver-floor',
);

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** TechEmpower's rule for `queries`: 1..500, anything not an integer is 1. */
function queryCount(raw: string | null): number {
  const value = Number(raw);
  return Number.isInteger(value) ? Math.min(MAX_QUERIES, Math.max(1, value)) : 1;
}

const server = createServer((req, res) => {
  const { pathname, searchParams } = new URL(req.url ?? '/', 'http://floor');
  const route = async (): Promise<void> => {
    if (pathname === '/health') return send(res, 200, { ok: true });
    if (pathname === '/stats') return send(res, 200, database.stats());
    if (pathname === '/db') return send(res, 200, await database.world(randomWorldNumber()));
    if (pathname === '/queries') {
      const worlds: World[] = [];
      const count = queryCount(searchParams.get('queries'));
      for (let i = 0; i < count; i++) worlds.push(await database.world(randomWorldNumber()));
      return send(res, 200, worlds);
    }
    send(res, 404, { error: `The driver floor serves /db and /queries only, not ${pathname}.` });
  };
  route().catch((error: unknown) =>
    send(res, 503, { error: error instanceof Error ? error.message : String(error) }),
  );
});
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  console.log(`driver-floor: listening on http://127.0.0.1:${bound}`);
});

process.once('SIGTERM', () => {
  server.close(async () => {
    await database.close();
    const { opened, closed } = database.stats();
    process.stdout.write(`driver-floor stopped: ${opened} connections opened, ${closed} closed\n`);
    process.exit(opened === closed ? 0 : 1);
  });
  server.closeIdleConnections();
});
