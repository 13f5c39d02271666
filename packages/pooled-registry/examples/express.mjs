import { whichConnection } from '@lifetimes/core';
import { PooledRegistryStrategy } from '@lifetimes/pooled-registry';
import express from 'express';
import { sql } from 'kysely';

// DATABASE_URL: sqlite:<file> or postgres://user@host/database
const strategy = new PooledRegistryStrategy(process.env.DATABASE_URL, { maxEngines: 10, poolSize: 5 });

// Outside HTTP (a migration, a job), scope() leases one connection for the work.
await strategy.scope(() => sql`create table if not exists visit (path text)`.execute(strategy.db));

const app = express();
// Before the middleware: reading the counters opens no scope.
app.get('/stats', (_req, res) => res.json(strategy.stats()));
// A request leases one connection from its database's pool (the x-tenant header picks a
// tenant's database) at its first query, and gives it back when its response closes.
app.use(strategy.middleware());
app.post('/visits', async (req, res) => {
  await strategy.db.insertInto('visit').values({ path: req.path }).execute(); // autocommit
  const { n } = await strategy.db
    .selectFrom('visit')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  res.status(201).json({ visits: Number(n) });
});
app.get('/whoami', async (_req, res) => {
  const first = await whichConnection(strategy.db, strategy.dialect);
  const second = await whichConnection(strategy.db, strategy.dialect);
  res.json({ connections: [first, second] }); // the lease's one connection, twice
});

const server = app.listen(Number(process.env.PORT ?? 3000), () => {
  console.log(`listening on ${server.address().port}`);
});
process.once('SIGTERM', () => server.close(() => strategy.close()));
