import pg from 'pg';

/** Server processes connected to `database` now, as PostgreSQL itself counts them. */
export async function backendsOn(adminUrl: string, database: string): Promise<number> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      'select count(*) as n from pg_stat_activity where datname = $1',
      [database],
    );
    return Number(rows[0]?.n);
  } finally {
    await client.end();
  }
}
