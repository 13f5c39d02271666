import { whichConnection } from '@lifetimes/core';
import { BaselineStrategy } from '@lifetimes/baseline';
import express from 'express';
import { sql } from 'kysely';

// DATABASE_URL: sqlite:<file> or postgres://user@host/database
const strategy = new BaselineStrategy(process.env.DATABASE_URL, { poolSize: 10 });

// Outside HTTP (a migration, a job), every query borrows the shared connection: scope() is
// optional, and keeps the job unchanged should you move to a scoped strategy.
await strategy.scope(() => sql`create table if not exists visit (path text)`.execute(strategy.db));

const app = express();
// Before the middleware: reading the counters opens no scope.
app.get('/stats', (_req, res) => res.json(strategy.stats()));
// The one shared connection (SQLite) or pool (PostgreSQL) needs no scope; the middleware
// only counts requests.
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
  res.json({ connections: [first, second] }); // SQLite: the process's one connection
});

const server = app.listen(Number(process.env.PORT ?? 3000), () => {
  console.log(`listening on ${server.address().port}`);
});
process.once('SIGTERM', () => server.close(() => strategy.close()));
