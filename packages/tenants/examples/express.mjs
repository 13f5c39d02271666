import { whichConnection } from '@lifetimes/core';
import { PerRequestStrategy } from '@lifetimes/per-request';
import { StrategyPerTenant } from '@lifetimes/tenants';
import express from 'express';
import { sql } from 'kysely';

// DATABASE_URL: the default database; each tenant gets one beside it (a file, or a database).
const strategy = new StrategyPerTenant(
  process.env.DATABASE_URL,
  (databaseUrl) => new PerRequestStrategy(databaseUrl, { maxOpen: 20 }),
  { idleMs: 30_000 },
);
const createTables = async () => {
  await sql`create table if not exists visit (path text)`.execute(strategy.db);
};

// Outside HTTP, scopeFor() runs work on one database: undefined is the default one.
await strategy.scopeFor(undefined, createTables);

const app = express();
// Before the middleware: reading the counters opens no scope.
app.get('/stats', (_req, res) => res.json(strategy.stats()));
// provision() builds the tenant's database in a scope of its own before anyone can reach it.
app.post('/tenants/:id', async (req, res) => {
  await strategy.provision(req.params.id, createTables);
  res.status(201).json({ tenant: req.params.id });
});
// The x-tenant header picks the request's database, and with it that database's strategy.
app.use(strategy.middleware());
app.post('/visits', async (req, res) => {
  await strategy.db.insertInto('visit').values({ path: req.path }).execute();
  const { n } = await strategy.db
    .selectFrom('visit')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  res.status(201).json({ visits: Number(n) });
});
app.get('/whoami', async (_req, res) => {
  const first = await whichConnection(strategy.db, strategy.dialect);
  const second = await whichConnection(strategy.db, strategy.dialect);
  res.json({ connections: [first, second] });
});
// Every error the strategies raise on purpose carries the HTTP status to answer with.
app.use((error, _req, res, _next) => {
  res.status(error.status ?? 500).json({ code: error.code, error: error.message });
});

const server = app.listen(Number(process.env.PORT ?? 3000), () => {
  console.log(`listening on ${server.address().port}`);
});
process.once('SIGTERM', () => server.close(() => strategy.close()));
