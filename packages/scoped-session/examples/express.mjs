import { whichConnection } from '@lifetimes/core';
import { ScopedSessionStrategy } from '@lifetimes/scoped-session';
import express from 'express';
import { sql } from 'kysely';

// DATABASE_URL: sqlite:<file> or postgres://user@host/database
const strategy = new ScopedSessionStrategy(process.env.DATABASE_URL, { poolSize: 10 });

// Outside HTTP (a migration, a job), scope() gives the work a session; commit() or it rolls back.
await strategy.scope(async () => {
  await sql`create table if not exists visit (path text)`.execute(strategy.db);
  await strategy.commit();
});

const app = express();
// Before the middleware: reading the counters opens no scope.
app.get('/stats', (_req, res) => res.json(strategy.stats()));
// A session per request; its connection goes back to the pool when the response closes.
app.use(strategy.middleware());
app.post('/visits', async (req, res) => {
  await strategy.db.insertInto('visit').values({ path: req.path }).execute();
  await strategy.commit(); // nothing is durable before commit(): the request's end rolls back
  const { n } = await strategy.db
    .selectFrom('visit')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  res.status(201).json({ visits: Number(n) });
});
app.get('/whoami', async (_req, res) => {
  const first = await whichConnection(strategy.db, strategy.dialect);
  const second = await whichConnection(strategy.db, strategy.dialect);
  res.json({ connections: [first, second] }); // the session's one pooled connection, twice
});

const server = app.listen(Number(process.env.PORT ?? 3000), () => {
  console.log(`listening on ${server.address().port}`);
});
process.once('SIGTERM', () => server.close(() => strategy.close()));
