import pg from 'pg';

/**
 * One PostgreSQL client of the test kit's own, connected: the view from
 * outside the code under test. Its error listener keeps a server restart or a
 * terminated backend from ending the run; the query that meets the dead
 * connection fails instead.
 */
export async function connectAdmin(url: string, applicationName?: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: applicationName });
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** Runs `use` on a client of {@link connectAdmin}'s, and ends the client whatever `use` does. */
export async function withAdmin<T>(
  url: string,
  use: (client: pg.Client) => Promise<T>,
  applicationName?: string,
): Promise<T> {
  const client = await connectAdmin(url, applicationName);
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
